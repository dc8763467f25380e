import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { LoginLockoutService } from '../rate-limits/login-lockout.service';
import type { SessionUser } from './session-user';
import { UsersService } from './users.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly users: UsersService,
    private readonly lockout: LoginLockoutService,
  ) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  /** Posted fields may be anything (arrays, objects); only two strings can be credentials. */
  async validate(email: unknown, password: unknown): Promise<SessionUser | false> {
    if (
      typeof email !== 'string' ||
      typeof password !== 'string' ||
      email.length > 254 ||
      password.length > 256
    ) {
      return false;
    }
    const user = await this.lockout.guard(email, () =>
      this.users.verifyCredentials(email, password),
    );
    return user ?? false;
  }
}
