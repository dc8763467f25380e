import type { MemberRole } from '../entities/membership.entity';
import type { SessionUser } from '../session-user';

/**
 * What a page or route needs of a member: `door` is met by every role (check-in, the bookings
 * list), `manage` by managers and owners (events, bookings, money, codes), `own` by owners only
 * (members, webhooks). Admins meet all three in every organisation.
 */
export type Access = 'door' | 'manage' | 'own';

export const ROLES_WITH: Record<Access, MemberRole[]> = {
  door: ['owner', 'manager', 'door'],
  manage: ['owner', 'manager'],
  own: ['owner'],
};

/** Whether the user may do what `access` names in the organisation they are working in. */
export const mayInCurrentOrganisation = (user: SessionUser, access: Access): boolean =>
  user.role === 'admin' ||
  (user.organisation !== undefined && ROLES_WITH[access].includes(user.organisation.role));
