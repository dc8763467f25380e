import type { MemberRole } from './entities/membership.entity';
import type { Role } from './entities/user.entity';

/** The organisation a logged-in user works in, and their role there. */
export interface CurrentOrganisation {
  id: number;
  name: string;
  role: MemberRole;
}

/** The lean user loaded for each logged-in request (never the password hash). */
export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  /** Logging in asks for a second factor (TOTP); set on users loaded for a login or a session. */
  twoFactor?: boolean;
  /** The organisation they work in (chosen per login); none for an account in no organisation. */
  organisation?: CurrentOrganisation;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User extends SessionUser {
      /** The login this request belongs to (AccountSessions); none for an API token. */
      loginKey?: string;
    }
  }
}
