/**
 * Everything that happens which other modules may react to, named once with what it carries.
 * A module records its events in the transaction of the change (DomainEvents.record); the
 * modules that react subscribe, so the one that records never knows who listens.
 */
export type DomainEvent =
  | ({ type: 'booking.confirmed' } & AboutABooking)
  | ({ type: 'booking.cancelled' } & AboutABooking)
  /** A booking holds its tickets until paid (on creation, and again when its deadline moves). */
  | ({ type: 'booking.payment_due' } & AboutABooking)
  /** A hold lapsed unpaid: the tickets went back on sale. */
  | ({ type: 'booking.expired' } & AboutABooking)
  /** Money was sent back (`refunded_cents` says how much in all). */
  | ({ type: 'booking.refunded' } & AboutABooking)
  /** A ticket of the booking (or all of them) was let in at the door. */
  | ({ type: 'booking.checked_in' } & AboutABooking)
  /** An event (with its ticket types) was created, edited or published. */
  | { type: 'event.changed'; eventId: number }
  /** Recorded just before the event's row is deleted, in that transaction. */
  | { type: 'event.deleted'; eventId: number }
  /** A date was cancelled: its sales stop; its bookings are cancelled (and refunded) after. */
  | { type: 'date.cancelled'; eventId: number; dateId: number }
  | { type: 'settings.changed' }
  /** A reserving voucher's time ran out: what it still held is free again. */
  | { type: 'voucher.lapsed'; voucherId: number; eventId: number; ticketTypeId: number }
  /** Freed tickets were offered to the next entry of a waiting list (as a reserving voucher). */
  | { type: 'waiting_list.offered'; entryId: number; eventId: number; email: string }
  /** A single-use link for an account's owner was made (account_tokens): it is to be mailed. */
  | {
      type: 'account.link_issued';
      tokenId: number;
      purpose: 'password_reset' | 'email_change';
      recipient: string;
    }
  /** Someone was invited to join an organisation (invitations): the link is to be mailed. */
  | { type: 'team.invitation_issued'; invitationId: number; recipient: string };

interface AboutABooking {
  bookingId: number;
  eventId: number;
  attendeeEmail: string;
}

export type DomainEventType = DomainEvent['type'];

export type DomainEventOf<Type extends DomainEventType> = Extract<DomainEvent, { type: Type }>;
