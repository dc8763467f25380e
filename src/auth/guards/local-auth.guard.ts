import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';

/**
 * Checks email and password with the passport-local strategy and, when they
 * match, logs in (passport regenerates the session id). On a mismatch the
 * handler runs with no user and sends the visitor to /auth-fail.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request>();
    if (request.user) await super.logIn(request);
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser | undefined {
    if (error) throw error as Error;
    return user || undefined;
  }
}
