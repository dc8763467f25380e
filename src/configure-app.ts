import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import passport from 'passport';
import { ANONYMOUS_SESSION_MS, SessionStoreProvider } from './auth/session/session-store.provider';
import { sessionTimeouts } from './auth/session/session-timeouts';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { sendError } from './common/errors/error-responder';
import { ValidationFailedException } from './common/errors/validation-failed.exception';
import { FormPageInterceptor } from './common/forms/form-page';
import { validatorOptions } from './common/forms/validation-options';
import { setupApiDocs } from './common/http/api-docs';
import { CsrfGuard } from './common/http/csrf.guard';
import { STRIPE_WEBHOOK_PATH } from './bookings/stripe-webhook.controller';
import { stripeCheckoutOrigin } from './payments/stripe-gateway';
import { formBodyParser } from './common/http/form-body-parser';
import { closeHttpOnlyWhenHandlersFinish } from './common/http/handlers-in-flight';
import { SESSION_COOKIE } from './common/http/session-cookie';
import { signedCookies } from './common/http/signed-cookies';
import { jsonBodyParser } from './common/http/json-body-parser';
import { requestId } from './common/http/request-id';
import { securityHeaders } from './common/http/security-headers';
import { handlebarsEngine } from './common/views/handlebars-engine';
import { AppConfig } from './config/app-config';
import { PageCache } from './page-cache/page-cache';
import { PROJECT_ROOT } from './project-root';

export const BODY_LIMIT = '100kb';
export const SEATING_BODY_LIMIT = '4mb';
/** A request (headers and body) must arrive within these, so slow clients cannot hold connections. */
export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Everything between Nest and Express that main.ts and every e2e test share, so tests run the app users run. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  const viewsDir = join(PROJECT_ROOT, 'views');

  app.disable('x-powered-by');
  const server: Server = app.getHttpServer();
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  servePagesFromCacheFirst(server, app.get(PageCache));
  if (config.trustProxy) app.set('trust proxy', 1);
  app.engine('hbs', handlebarsEngine(viewsDir));
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  app.set('view cache', true);

  app.use(
    ...securityHeaders({
      https: config.cookieSecure,
      formTargets: config.stripe ? [stripeCheckoutOrigin(config.stripe)] : [],
    }),
  );
  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { maxAge: config.production ? '1h' : 0 });
  app.use(requestId);
  // Stripe signs the body as sent: its webhook gets the bytes, unparsed.
  app.use(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }));
  // A seat map of thousands of seats is larger than any other body.
  app.use('/api/v1/events/:id/seating', jsonBodyParser(SEATING_BODY_LIMIT));
  app.use(jsonBodyParser(BODY_LIMIT));
  app.use(...formBodyParser(BODY_LIMIT));
  app.use(signedCookies(config.sessionSecret));
  app.use(
    session({
      store: app.get(SessionStoreProvider).store,
      name: SESSION_COOKIE,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      // Re-send the cookie with each answer, so its expiry slides with use (see sessionTimeouts).
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: config.sessionAbsoluteMs,
      },
    }),
  );
  app.use(
    sessionTimeouts({
      idleMs: config.sessionIdleMs,
      absoluteMs: config.sessionAbsoluteMs,
      anonymousMs: ANONYMOUS_SESSION_MS,
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  // Errors raised by the Express middleware above (malformed or oversized bodies) never reach Nest's filters.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) =>
    sendError(error, req, res),
  );

  app.useGlobalGuards(app.get(CsrfGuard));
  closeHttpOnlyWhenHandlersFinish(app);
  app.useGlobalInterceptors(app.get(FormPageInterceptor));
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

/** Kept public pages are answered before Express sees the request; the rest go on as before. */
function servePagesFromCacheFirst(server: Server, pageCache: PageCache): void {
  const appListeners = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (pageCache.handle(req, res)) return;
    for (const listener of appListeners) listener.call(server, req, res);
  });
}
