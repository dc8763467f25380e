import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import type { SessionUser } from '../session-user';
import { UsersService } from '../users.service';

/** What a session keeps of its user: the id, and the key of the login (AccountSessions). */
interface StoredLogin {
  id: number;
  loginKey: string;
}

const isStoredLogin = (value: unknown): value is StoredLogin =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as StoredLogin).id) &&
  typeof (value as StoredLogin).loginKey === 'string';

/**
 * The session keeps only the user id and its login's key; each request loads a lean user (so a
 * role change applies at once) while that login has not been ended. A session from before logins
 * were recorded holds only an id: it is logged out.
 */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }

  serializeUser(
    user: SessionUser & { loginKey?: string },
    done: (error: Error | null, login?: StoredLogin) => void,
  ): void {
    if (!user.loginKey) return done(new Error('A login needs its key (AccountSessions.logIn).'));
    done(null, { id: user.id, loginKey: user.loginKey });
  }

  deserializeUser(
    login: unknown,
    done: (error: Error | null, user?: SessionUser | false) => void,
  ): void {
    if (!isStoredLogin(login)) return done(null, false);
    this.users.findLoggedInUser(login.id, login.loginKey).then(
      (user) => done(null, user ?? false),
      (error: Error) => done(error),
    );
  }
}
