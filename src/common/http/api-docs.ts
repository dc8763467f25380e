import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_RESPONSE_SCHEMAS } from './api-schemas';

/** OpenAPI for the admin API: the UI at /api/docs, the document at /api/docs-json. */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Boxoffice admin API')
    .setDescription(
      'Run Boxoffice from scripts. Create a token on /api-tokens (admins only) and send it as `Authorization: Bearer <token>`. ' +
        'Errors are application/problem+json: {type, title, status, detail, errors?: [{field, message}]}.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...API_RESPONSE_SCHEMAS,
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail'],
        properties: {
          type: { type: 'string', example: 'about:blank' },
          title: { type: 'string', example: 'Bad Request' },
          status: { type: 'integer', example: 400 },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: { type: 'string', example: 'ticketTypes.0.capacity' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
  // Only /api/v1 belongs in the document; the HTML pages are not an API.
  for (const path of Object.keys(document.paths)) {
    if (!path.startsWith('/api/v1/')) delete document.paths[path];
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
