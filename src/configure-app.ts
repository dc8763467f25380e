import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { join } from 'node:path';
import passport from 'passport';
import {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  SessionStoreProvider,
} from './auth/session/session-store.provider';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { sendError } from './common/errors/error-responder';
import { ValidationFailedException } from './common/errors/validation-failed.exception';
import { validatorOptions } from './common/forms/validation-options';
import { setupApiDocs } from './common/http/api-docs';
import { CsrfGuard } from './common/http/csrf.guard';
import { formBodyParser } from './common/http/form-body-parser';
import { requestId } from './common/http/request-id';
import { handlebarsEngine } from './common/views/handlebars-engine';
import { AppConfig } from './config/app-config';
import { PROJECT_ROOT } from './project-root';

export const BODY_LIMIT = '100kb';

/** Everything between Nest and Express that main.ts and every e2e test share, so tests run the app users run. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  const viewsDir = join(PROJECT_ROOT, 'views');

  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', 1);
  app.engine('hbs', handlebarsEngine(viewsDir));
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  app.set('view cache', true);

  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { maxAge: config.production ? '1h' : 0 });
  app.use(requestId);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(...formBodyParser(BODY_LIMIT));
  app.use(
    session({
      store: app.get(SessionStoreProvider).store,
      name: SESSION_COOKIE,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: SESSION_TTL_MS,
      },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  // Errors raised by the Express middleware above (malformed or oversized bodies) never reach Nest's filters.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) =>
    sendError(error, req, res),
  );

  app.useGlobalGuards(new CsrfGuard());
  // DTO-typed bodies and queries (the JSON API); HTML forms go through FormPipe instead.
  app.useGlobalPipes(
    new ValidationPipe({
      ...validatorOptions,
      transform: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new ValidationFailedException(errors),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  setupApiDocs(app);
  app.enableShutdownHooks();
  return app;
}
