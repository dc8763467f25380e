import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

export const CSRF_COOKIE = 'boxoffice.csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SIGNED_ELSEWHERE = 'csrf:signed-elsewhere';

/**
 * A route that no browser form posts to, whose requests prove where they come from in another
 * way (a payment provider's webhook, signed over its body): no CSRF token is asked of them.
 */
export const SignedElsewhere = () => SetMetadata(SIGNED_ELSEWHERE, true);

/**
 * CSRF tokens as signed double-submit cookies (csrf-csrf): a form's hidden `_csrf` must equal
 * the visitor's CSRF cookie, and carry this site's signature. Nothing is kept on the server,
 * so a visitor who only reads pages or fills in a buy form leaves no session row behind. For a
 * logged-in user the signature covers the session id too, so the token dies with the login.
 * One token per cookie for every form: a resubmitted form is told apart by its idempotency key.
 */
@Injectable()
export class CsrfTokens {
  private readonly csrf: DoubleCsrfUtilities;

  constructor(config: AppConfig) {
    const secret = createHmac('sha256', config.sessionSecret).update('csrf tokens').digest('hex');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => (req.user ? req.sessionID : ''),
      cookieName: CSRF_COOKIE,
      cookieOptions: { sameSite: 'strict', secure: config.cookieSecure, httpOnly: true },
      getCsrfTokenFromRequest: (req) => {
        const token = (req.body as Record<string, unknown> | undefined)?._csrf;
        return typeof token === 'string' ? token : undefined;
      },
    });
  }

  /** The visitor's token (kept while their cookie is valid), for a form on the page being rendered. */
  tokenFor(req: Request, res: Response): string {
    return this.csrf.generateCsrfToken(req, res);
  }

  isValid(req: Request): boolean {
    return this.csrf.validateRequest(req);
  }
}

/** Global guard: every state-changing page request needs the token. The bearer-token API has no cookies to forge. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    private readonly tokens: CsrfTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method) || req.path.startsWith('/api/')) return true;
    if (this.reflector.get<boolean>(SIGNED_ELSEWHERE, context.getHandler())) return true;
    if (!this.tokens.isValid(req)) {
      throw new ForbiddenException(
        'This form has expired or did not come from this site. Please go back, reload the page and try again.',
      );
    }
    return true;
  }
}
