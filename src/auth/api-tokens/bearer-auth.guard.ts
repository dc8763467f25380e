import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiTokensService } from './api-tokens.service';

/** `/api/v1` is for admins with a live bearer token: none or a bad one → 401, an organiser's → 403. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly tokens: ApiTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(req.headers.authorization ?? '');
    const user = match ? await this.tokens.authenticate(match[1]) : undefined;
    if (!user)
      throw new UnauthorizedException(
        'A valid API token is required: Authorization: Bearer <token>.',
      );
    if (user.role !== 'admin')
      throw new ForbiddenException('API tokens work for administrators only.');
    req.user = user;
    return true;
  }
}
