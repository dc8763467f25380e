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

/** One mail to compose and send. */
export interface MailJob {
  id: number;
  kind: MailKind;
  recipient: string;
  booking: BookingDetails;
  /** The site's name (the mails' sender) and currency (their prices). */
  site: { name: string; currency: string };
  /** Tells the `.eml` files apart. */
  name: string;
}

export type MailOutcome =
  { id: number; sent: true } | { id: number; sent: false; message: string; responseCode?: number };
