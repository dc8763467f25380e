import { ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../entities/user.entity';
import { LoggedInGuard } from './logged-in.guard';
import { ROLES_KEY } from './roles.decorator';

/** Logged in, and holding one of the roles named by `@Roles(...)`. */
@Injectable()
export class RolesGuard extends LoggedInGuard {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean {
    super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const user = context.switchToHttp().getRequest<Request>().user!;
    if (roles && !roles.includes(user.role))
      throw new ForbiddenException('Only an administrator may do this.');
    return true;
  }
}
