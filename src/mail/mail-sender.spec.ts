import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BookingDetails } from '../bookings/booking.service';
import { PROJECT_ROOT } from '../project-root';
import { MailSender } from './mail-sender';

const booking: BookingDetails = {
  id: 1,
  reference: 'K7M3Q9X2PA',
  secret: 'abc-DEF_123',
  eventId: 12,
  eventTitle: 'Jazz Night',
  eventStartsAt: new Date('2030-06-01T19:30:00Z'),
  eventVenue: 'The Blue Room',
  attendeeName: 'Ada Lovelace',
  attendeeEmail: 'ada@example.com',
  status: 'confirmed',
  totalCents: 2500,
  items: [{ ticketTypeId: 1, name: 'Full price', quantity: 1, unitPriceCents: 2500 }],
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
  tickets: [],
};

describe('MailSender (its real thread, writing .eml files)', () => {
  let outboxDir: string;
  let sender: MailSender;

  beforeEach(() => {
    outboxDir = mkdtempSync(join(tmpdir(), 'mail-sender-'));
    sender = new MailSender({
      viewsDir: join(PROJECT_ROOT, 'views'),
      publicUrl: 'https://tickets.example.org',
      from: { address: 'no-reply@tickets.example.org' },
      outboxDir,
    });
  });
  afterEach(async () => {
    await sender.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const send = (name: string, details: BookingDetails = booking) =>
    sender.send({
      kind: 'booking.confirmed',
      recipient: details.attendeeEmail,
      booking: details,
      site: { name: 'Boxoffice', currency: 'EUR', bankTransferInstructions: '' },
      name,
    });

  it('writes each mail it is given', async () => {
    await Promise.all([send('one'), send('two')]);
    expect(readdirSync(outboxDir).sort()).toEqual([
      expect.stringMatching(/-one\.eml$/),
      expect.stringMatching(/-two\.eml$/),
    ]);
  });

  it('fails a mail that cannot be composed alone, with its error, and goes on sending the others', async () => {
    const unrenderable = { ...booking, dateStartsAt: new Date(Number.NaN) };
    const outcomes = await Promise.allSettled([
      send('before'),
      send('broken', unrenderable),
      send('beside'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/Invalid time value/);

    await send('after');
    expect(
      readdirSync(outboxDir)
        .map((file) => /-(\w+)\.eml$/.exec(file)?.[1])
        .sort(),
    ).toEqual(['after', 'before', 'beside']);
  });
});
