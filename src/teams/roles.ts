import type { MemberRole } from '../auth/entities/membership.entity';

/** What each role may do, as pages and mails say it. */
export const ROLE_DESCRIPTIONS: Record<MemberRole, string> = {
  owner: 'an owner (everything, the team and webhooks included)',
  manager: 'a manager (events, bookings, refunds and codes)',
  door: 'door staff (check-in and the bookings list, no money)',
};

/** How the audit log names an organisation. */
export const organisationSubject = (organisation: { id: number; name: string }) =>
  `organisation ${organisation.id} "${organisation.name}"`;
