import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/**
 * Checks email and password with the passport-local strategy and puts the account, when
 * they match, on the request (not yet logged in: the handler does that, or asks for a second
 * factor first). On a mismatch the handler runs with no user and sends the visitor to /auth-fail.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser | undefined {
    if (error) throw error as Error;
    return user || undefined;
  }
}
