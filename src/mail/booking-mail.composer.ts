import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import type { BookingDetails } from '../bookings/booking.service';
import { checkInUrl, qrPng } from '../check-in/ticket-qr';
import type { RenderTemplate } from '../common/views/handlebars-engine';
import type { MailConfig } from '../config/app-config';
import type { BookingMailKind, MailSite } from './mail-thread.protocol';
import { bookingPagePath, payPagePath } from '../bookings/booking-paths';

const SUBJECTS: Record<BookingMailKind, (booking: BookingDetails) => string> = {
  'booking.confirmed': (booking) =>
    `Your tickets for ${booking.eventTitle} (booking ${booking.reference})`,
  'booking.cancelled': (booking) => `Booking ${booking.reference} cancelled: ${booking.eventTitle}`,
  'booking.payment_due': (booking) =>
    `Complete your payment for ${booking.eventTitle} (booking ${booking.reference})`,
  'booking.expired': (booking) =>
    `Your reservation lapsed: ${booking.eventTitle} (booking ${booking.reference})`,
  'booking.refunded': (booking) => `Refund for booking ${booking.reference}: ${booking.eventTitle}`,
};

/**
 * Writes a booking's mails (`views/mail/booking.{text,html}.hbs`): the reference, the event,
 * items and total, the booking's link with its secret and, for a confirmation, each ticket's
 * code and QR code (an inline image).
 */
export class BookingMailComposer {
  constructor(
    private readonly render: RenderTemplate,
    private readonly mailViewsDir: string,
    private readonly settings: { publicUrl: string; from: MailConfig['from'] },
  ) {}

  compose(
    kind: BookingMailKind,
    recipient: string,
    booking: BookingDetails,
    site: MailSite,
  ): SendMailOptions {
    const { publicUrl, from } = this.settings;
    const confirmed = kind === 'booking.confirmed';
    const tickets = confirmed
      ? booking.tickets.map((ticket) => ({ ...ticket, qrCid: `qr-${ticket.code}@boxoffice` }))
      : [];
    const view = {
      booking,
      confirmed,
      cancelled: kind === 'booking.cancelled',
      paymentDue: kind === 'booking.payment_due',
      expired: kind === 'booking.expired',
      refunded: kind === 'booking.refunded',
      byTransfer: booking.paymentMethod === 'bank_transfer',
      dueAtTheDoor: booking.paymentMethod === 'on_site' && !booking.paidAt,
      siteName: site.name,
      site,
      tickets,
      manyTickets: tickets.length > 1,
      bookingUrl: publicUrl + bookingPagePath(booking),
      payUrl: publicUrl + payPagePath(booking),
    };
    return {
      from: { name: from.name ?? site.name, address: from.address },
      to: { name: booking.attendeeName, address: recipient },
      subject: SUBJECTS[kind](booking),
      text: this.render(join(this.mailViewsDir, 'booking.text.hbs'), view),
      html: this.render(join(this.mailViewsDir, 'booking.html.hbs'), view),
      attachments: tickets.map((ticket) => ({
        filename: `ticket-${ticket.code}.png`,
        content: qrPng(checkInUrl(publicUrl, booking.eventId, ticket.code)),
        contentType: 'image/png',
        cid: ticket.qrCid,
      })),
    };
  }
}
