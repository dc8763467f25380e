import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * Synchronizer tokens (csrf-sync): one token per session, valid for the whole
 * session, so a resubmitted form is recognised by its idempotency key rather
 * than refused.
 */
const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => {
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof token === 'string' ? token : undefined;
  },
});

export const csrfTokenFor = (req: Request): string => csrf.generateToken(req);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global guard: every state-changing page request needs the session's token. The bearer-token API has no cookies to forge. */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method) || req.path.startsWith('/api/')) return true;
    if (!csrf.isRequestValid(req)) {
      throw new ForbiddenException(
        'This form has expired or did not come from this site. Please go back, reload the page and try again.',
      );
    }
    return true;
  }
}
