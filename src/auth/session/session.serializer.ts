import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import type { SessionUser } from '../session-user';
import { UsersService } from '../users.service';

/** The session keeps only the user id; each request loads a lean user (so a role change applies at once). */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }

  serializeUser(user: SessionUser, done: (error: Error | null, id?: number) => void): void {
    done(null, user.id);
  }

  deserializeUser(
    id: number,
    done: (error: Error | null, user?: SessionUser | false) => void,
  ): void {
    this.users.findSessionUser(id).then(
      (user) => done(null, user ?? false),
      (error: Error) => done(error),
    );
  }
}
