import { CardPaymentsService } from '../src/bookings/card-payments.service';
import { BookingService } from '../src/bookings/booking.service';
import { AppProcess } from './support/app-process';
import { eventually } from './support/eventually';
import { StripeStandIn } from './support/stripe-stand-in';
import { insertEvent, soldMatchesBookedItems, startTestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const BOOKINGS = 30;

/*
 * Stripe has taken the money, and the app process dies (SIGKILL) while it is recording that:
 * whatever it had committed, the webhook delivered again after the restart (as Stripe does
 * until it is acknowledged) confirms every booking, each exactly once, with one mail.
 */
describe('SIGKILL between Stripe’s payment and the booking’s confirmation', () => {
  let stripe: StripeStandIn;
  let database: TestDatabase;
  let references: string[];
  const firstAnswers: (number | string)[] = [];

  beforeAll(async () => {
    stripe = await new StripeStandIn().start();
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, SESSION_SECRET: 'crash-test', ...stripe.env() };

    // Held bookings whose buyers went to Stripe's page, made by an app that then stops.
    const seeding = await startTestApp(env);
    try {
      await seeding.sql('UPDATE site_settings SET on_site_payment = ?', [false]);
      const { eventId, ticketTypeIds } = await insertEvent(seeding, {
        ticketTypes: [{ priceCents: 2000, capacity: BOOKINGS }],
      });
      const bookings = seeding.app.get(BookingService);
      const cards = seeding.app.get(CardPaymentsService);
      references = [];
      for (let i = 0; i < BOOKINGS; i++) {
        const booking = await bookings.book(
          eventId,
          {
            attendeeName: `Card ${i}`,
            attendeeEmail: `card${i}@example.com`,
            lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
          },
          { hold: 'until_chosen' },
        );
        await cards.startCheckout(booking.reference, booking.secret);
        references.push(booking.reference);
      }
    } finally {
      await seeding.close();
    }
    // Every buyer pays; Stripe's first reports reach a process that is killed under them.
    for (const reference of references) {
      await stripe.pay(stripe.sessionOf(reference)!.id, { notify: false });
    }
    const app = await AppProcess.start('main', env);
    await app.waitUntilServing();
    stripe.webhookUrl = `${app.url}/payments/stripe/webhook`;
    const deliveries = references.map((reference) =>
      stripe.notify(stripe.sessionOf(reference)!).then(
        (answer) => firstAnswers.push(answer.status),
        () => firstAnswers.push('cut'),
      ),
    );
    // Killed once the first few are acknowledged: others are then half-way, or not yet begun.
    await eventually(() => firstAnswers.length >= 3, 'the first acknowledgements');
    await app.stop('SIGKILL');
    await Promise.all(deliveries);
  }, 120_000);

  afterAll(async () => {
    await database.drop();
    await stripe.stop();
  });

  it('confirms every booking exactly once when Stripe delivers again to the restarted app', async () => {
    const app = await AppProcess.start('main', {
      DATABASE_URL: database.url,
      SESSION_SECRET: 'crash-test',
      ...stripe.env(),
    });
    try {
      await app.waitUntilServing();
      stripe.webhookUrl = `${app.url}/payments/stripe/webhook`;
      const again = await Promise.all(
        references.map((reference) => stripe.notify(stripe.sessionOf(reference)!)),
      );
      expect(again.map((answer) => answer.status)).toEqual(references.map(() => 200));
    } finally {
      await app.stop();
    }
    console.log(
      `first deliveries: ${firstAnswers.filter((answer) => answer === 200).length} acknowledged, ` +
        `${firstAnswers.filter((answer) => answer !== 200).length} cut by the kill`,
    );

    const check = await startTestApp({ DATABASE_URL: database.url, ...stripe.env() });
    try {
      const rows = await check.sql<
        { status: string; paid: number | string; mails: number | string }[]
      >(
        `SELECT b.status, CASE WHEN b.paid_at IS NULL THEN 0 ELSE 1 END AS paid,
                (SELECT COUNT(*) FROM outbox o WHERE o.booking_id = b.id AND o.kind = 'booking.confirmed') AS mails
           FROM bookings b`,
      );
      expect(rows).toHaveLength(BOOKINGS);
      expect(rows.map((row) => [row.status, Number(row.paid), Number(row.mails)])).toEqual(
        rows.map(() => ['confirmed', 1, 1]),
      );
      expect(await soldMatchesBookedItems(check)).toBe(true);
      expect(stripe.refunds).toEqual([]);
    } finally {
      await check.close();
    }
  });
});
