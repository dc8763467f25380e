import type { BookingDetails } from '../bookings/booking.service';
import type { MailConfig } from '../config/app-config';
import type { OfferDetails } from '../waiting-list/offer-details';
import type { AccountLinkMail } from '../auth/account/account-tokens.service';
import type { InvitationMail } from '../teams/invitations.service';
import type { AccountMailKind, MailKind } from './entities/outbox-message.entity';

/** What the mail thread needs to write and send mails, given once when it starts. */
export interface MailThreadSettings {
  viewsDir: string;
  publicUrl: string;
  from: MailConfig['from'];
  smtpUrl?: string;
  outboxDir: string;
}

/** What mails tell of the site: its name (the sender), currency (prices), bank details. */
export interface MailSite {
  name: string;
  currency: string;
  bankTransferInstructions: string;
}

export type BookingMailKind = Exclude<
  MailKind,
  'waiting_list.offered' | 'team.invitation' | AccountMailKind
>;

/** One mail to compose and send: about a booking, a waiting-list offer, an account link or an invitation. */
export type MailRequest = {
  recipient: string;
  site: MailSite;
  /** Tells the `.eml` files apart. */
  name: string;
} & (
  | { kind: BookingMailKind; booking: BookingDetails }
  | { kind: 'waiting_list.offered'; offer: OfferDetails }
  | { kind: AccountMailKind; link: AccountLinkMail }
  | { kind: 'team.invitation'; invitation: InvitationMail }
);

export type MailOutcome =
  { id: number; sent: true } | { id: number; sent: false; message: string; responseCode?: number };

/** A mail request as the thread is handed it, numbered for its answer. */
export type MailJob = MailRequest & { id: number };
