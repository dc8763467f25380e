import { UnauthorizedException } from '@nestjs/common';

/** Thrown by guards for anonymous visitors: pages redirect them to the login form. */
export class LoginRequiredException extends UnauthorizedException {
  constructor() {
    super('Please log in to continue.');
  }
}
