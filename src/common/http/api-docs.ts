import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI for the admin API: the UI at /api/docs, the document at /api/docs-json. */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Boxoffice admin API')
    .setDescription(
      'Run Boxoffice from scripts. Create a token on /api-tokens (admins only) and send it as `Authorization: Bearer <token>`. ' +
        'Errors are application/problem+json: {type, title, status, detail, errors?: [{field, message}]}.',
    )
    .setVersion('1')
    // addBearerAuth() would call the token a JWT; it is an opaque random string.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'An opaque API token (not a JWT), made by an admin on /api-tokens',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Only /api/v1 belongs in the document; the HTML pages are not an API.
  for (const path of Object.keys(document.paths)) {
    if (!path.startsWith('/api/v1/')) delete document.paths[path];
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
