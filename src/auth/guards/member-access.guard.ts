import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  NotFoundException,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { LoginRequiredException } from '../../common/errors/login-required.exception';
import { Access, mayInCurrentOrganisation } from '../organisations/access';

class MemberAccessGuard implements CanActivate {
  constructor(private readonly access: Access) {}

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<Request>().user;
    if (!user) throw new LoginRequiredException();
    // Like another organisation's event: what a role may not use, it is not told exists; and an
    // organisation's page is about an organisation (an admin may have left every one).
    if (!user.organisation || !mayInCurrentOrganisation(user, this.access))
      throw new NotFoundException('No such page.');
    return true;
  }
}

/**
 * A page or route of the organisation the user works in, open to the roles that have `access`
 * there (admins: always); 404 for the others, the login page for visitors.
 */
export const MemberAccess = (access: Access) =>
  applyDecorators(UseGuards(new MemberAccessGuard(access)));
