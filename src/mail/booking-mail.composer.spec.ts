import { join } from 'node:path';
import type { BookingDetails } from '../bookings/booking.service';
import { templateRenderer } from '../common/views/handlebars-engine';
import { checkInUrl, qrPng } from '../check-in/ticket-qr';
import { PROJECT_ROOT } from '../project-root';
import { BookingMailComposer } from './booking-mail.composer';

const views = join(PROJECT_ROOT, 'views');
const composer = new BookingMailComposer(templateRenderer(views), join(views, 'mail'), {
  publicUrl: 'https://tickets.example.org',
  from: { address: 'no-reply@tickets.example.org' },
});

const booking: BookingDetails = {
  id: 1,
  reference: 'K7M3Q9X2PA',
  secret: 'abc-DEF_123',
  eventId: 12,
  eventTitle: 'Jazz & Blues Night',
  eventStartsAt: new Date('2030-06-01T19:30:00Z'),
  eventVenue: 'The Blue Room',
  attendeeName: '<script>alert(1)</script>',
  attendeeEmail: 'ada@example.com',
  status: 'confirmed',
  totalCents: 6250,
  items: [
    { ticketTypeId: 1, name: 'Full price', quantity: 2, unitPriceCents: 2500 },
    { ticketTypeId: 2, name: 'Concession', quantity: 1, unitPriceCents: 1250 },
  ],
  createdAt: new Date(),
  cancelledAt: null,
  checkedInAt: null,
  expiresAt: null,
  paymentMethod: 'on_site',
  paidAt: null,
  refundedCents: 0,
  stripeSessionId: null,
  stripePaymentIntent: null,
  voucherId: null,
  voucherCode: null,
  dateId: 1,
  dateStartsAt: new Date('2030-06-01T19:30:00Z'),
  tickets: [
    {
      code: 'A0A0A0A0A0A0A0A0',
      ticketTypeId: 1,
      name: 'Full price',
      attendeeName: null,
      seat: null,
      checkedInAt: null,
    },
    {
      code: 'B1B1B1B1B1B1B1B1',
      ticketTypeId: 1,
      name: 'Full price',
      attendeeName: 'Grace <b>',
      seat: { section: 'Stalls', row: 'C', seat: '12' },
      checkedInAt: null,
    },
    {
      code: 'C2C2C2C2C2C2C2C2',
      ticketTypeId: 2,
      name: 'Concession',
      attendeeName: null,
      seat: null,
      checkedInAt: null,
    },
  ],
};
const bookingUrl = 'https://tickets.example.org/booking/K7M3Q9X2PA?secret=abc-DEF_123';

describe('BookingMailComposer', () => {
  it('writes a confirmation with a text and an HTML part: reference, event, items and total', async () => {
    const mail = composer.compose('booking.confirmed', 'ada@example.com', booking, {
      name: 'Boxoffice',
      currency: 'EUR',
      bankTransferInstructions: '',
    });
    expect(mail.subject).toBe('Your tickets for Jazz & Blues Night (booking K7M3Q9X2PA)');
    expect(mail.to).toEqual({ name: booking.attendeeName, address: 'ada@example.com' });
    expect(mail.from).toEqual({ name: 'Boxoffice', address: 'no-reply@tickets.example.org' });
    for (const part of [mail.text, mail.html] as string[]) {
      expect(part).toContain('K7M3Q9X2PA');
      expect(part).toContain('The Blue Room');
      expect(part).toContain('Full price');
      expect(part).toContain('25.00');
      expect(part).toContain('12.50');
      expect(part).toContain('62.50');
    }
    expect(mail.text).toContain('2 x Full price at €25.00');
    expect(mail.text).toContain('Jazz & Blues Night');
    expect(mail.html).toContain('Jazz &amp; Blues Night');
  });

  it('links to the booking with its secret', async () => {
    const mail = composer.compose('booking.confirmed', 'ada@example.com', booking, {
      name: 'Boxoffice',
      currency: 'EUR',
      bankTransferInstructions: '',
    });
    expect(mail.text).toContain(bookingUrl);
    expect(mail.html).toContain(`href="${bookingUrl.replace('=', '&#x3D;')}"`);
  });

  it('escapes an attendee name holding a script in the HTML part, and keeps it as typed in the text part', async () => {
    const mail = composer.compose('booking.confirmed', 'ada@example.com', booking, {
      name: 'Boxoffice',
      currency: 'EUR',
      bankTransferInstructions: '',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('attaches each ticket’s QR code (its check-in link) as a PNG that the HTML shows inline, beside its code', async () => {
    const mail = composer.compose('booking.confirmed', 'ada@example.com', booking, {
      name: 'Boxoffice',
      currency: 'EUR',
      bankTransferInstructions: '',
    });
    expect(mail.attachments).toHaveLength(3);
    mail.attachments!.forEach((qr, index) => {
      const { code } = booking.tickets[index];
      expect(qr.contentType).toBe('image/png');
      expect(qr.filename).toBe(`ticket-${code}.png`);
      expect(
        (qr.content as Buffer).equals(qrPng(checkInUrl('https://tickets.example.org', 12, code))),
      ).toBe(true);
      expect(mail.html).toContain(`src="cid:${qr.cid}" alt="QR code of ticket ${code}"`);
      expect(mail.text).toContain(code);
    });
    expect(mail.html).toContain('Grace &lt;b&gt;');
    expect(mail.text).toContain('Full price, Stalls, row C, seat 12 (Grace <b>): B1B1B1B1B1B1B1B1');
    expect(mail.html).toContain('Stalls, row C, seat 12');
    expect(mail.text).toContain('The reference K7M3Q9X2PA lets the whole booking in at once.');
  });

  it('writes a cancellation without a QR code, still naming the booking and linking to it', async () => {
    const mail = composer.compose(
      'booking.cancelled',
      'ada@example.com',
      { ...booking, status: 'cancelled' },
      { name: 'Boxoffice', currency: 'EUR', bankTransferInstructions: '' },
    );
    expect(mail.subject).toBe('Booking K7M3Q9X2PA cancelled: Jazz & Blues Night');
    expect(mail.text).toContain('has been cancelled');
    expect(mail.text).toContain(bookingUrl);
    expect(mail.attachments).toEqual([]);
    expect(mail.html).not.toContain('cid:');
  });

  it('sends as the configured sender name when MAIL_FROM gives one', async () => {
    const named = new BookingMailComposer(templateRenderer(views), join(views, 'mail'), {
      publicUrl: 'https://tickets.example.org',
      from: { name: 'Jazz Club', address: 'tickets@example.org' },
    });
    const mail = named.compose('booking.confirmed', 'ada@example.com', booking, {
      name: 'Boxoffice',
      currency: 'EUR',
      bankTransferInstructions: '',
    });
    expect(mail.from).toEqual({ name: 'Jazz Club', address: 'tickets@example.org' });
  });
});
