import type { BookingDetails } from '../bookings/booking.service';
import type { MailConfig } from '../config/app-config';
import type { MailKind } from './entities/outbox-message.entity';

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

/** One mail to compose and send. */
export interface MailJob {
  id: number;
  kind: MailKind;
  recipient: string;
  booking: BookingDetails;
  site: MailSite;
  /** Tells the `.eml` files apart. */
  name: string;
}

export type MailOutcome =
  { id: number; sent: true } | { id: number; sent: false; message: string; responseCode?: number };
