import type { Role } from './entities/user.entity';

/** The lean user loaded for each logged-in request (never the password hash). */
export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}
