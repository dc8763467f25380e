import { PaidBookingError } from '../src/bookings/booking.errors';
import { BookingService } from '../src/bookings/booking.service';
import { HoldSweeper } from '../src/bookings/hold-sweeper';
import { eventually } from './support/eventually';
import { StripeStandIn, startTestAppWithStripe } from './support/stripe-stand-in';
import {
  buyWithForm,
  FormBooking,
  insertEvent,
  soldMatchesBookedItems,
  TestApp,
  ticketTypesOf,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const MINUTE = 60_000;

interface Row {
  status: string;
  payment_method: string | null;
  paid_at: unknown;
  refunded_cents: number;
  stripe_session_id: string | null;
  stripe_payment_intent: string | null;
}

/** PRODUCT.md "Stripe": Checkout through the SDK, signed webhooks, the return page, late payments. */
describe('card payments through Stripe (a local stand-in for its API)', () => {
  let stripe: StripeStandIn;
  let testApp: TestApp;
  let eventId: number;

  beforeAll(async () => {
    stripe = await new StripeStandIn().start();
    testApp = await startTestAppWithStripe(stripe);
    ({ eventId } = await insertEvent(testApp, {
      ticketTypes: [
        { name: 'Full price', priceCents: 2500, capacity: 100 },
        { name: 'Concession', priceCents: 1250, capacity: 50 },
      ],
    }));
  });
  afterAll(async () => {
    await testApp.close();
    await stripe.stop();
  });

  const row = async (reference: string) =>
    (
      await testApp.sql<Row[]>(
        'SELECT status, payment_method, paid_at, refunded_cents, stripe_session_id, stripe_payment_intent FROM bookings WHERE reference = ?',
        [reference],
      )
    )[0];
  const mails = async (reference: string, kind: string) =>
    testApp.sql(
      'SELECT o.id FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.reference = ? AND o.kind = ?',
      [reference, kind],
    );
  const hold = (event = eventId, quantities = [2, 1]) =>
    buyWithForm(testApp, event, { quantities, attendeeEmail: uniqueEmail('card') });
  const payByCard = async (booking: FormBooking) =>
    booking.browser.post(`/booking/${booking.reference}/pay`, {
      _csrf: await booking.browser.csrfToken(),
      secret: booking.secret,
      method: 'stripe',
    });
  /** A held booking whose buyer went to Stripe's page: its session there. */
  const checkout = async (event = eventId, quantities = [2, 1]) => {
    const booking = await hold(event, quantities);
    const res = await payByCard(booking);
    if (res.status !== 303) throw new Error(`pay by card answered ${res.status}`);
    return {
      booking,
      session: stripe.sessionOf(booking.reference)!,
      location: res.headers.location,
    };
  };
  const lapse = async (reference: string) => {
    await writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE reference = ?', [
      timestampParam(testApp, new Date(Date.now() - 1000)),
      reference,
    ]);
    await testApp.app.get(HoldSweeper).sweep();
  };

  it('offers paying by card first, and sends the buyer to a Checkout Session for exactly the booking', async () => {
    const booking = await hold();
    const page = await booking.browser.get(
      `/booking/${booking.reference}/pay?secret=${booking.secret}`,
    );
    expect(page.text.indexOf('Pay by card')).toBeLessThan(page.text.indexOf('Pay at the door'));
    const before = Date.now();
    const res = await payByCard(booking);
    const session = stripe.sessionOf(booking.reference)!;
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(session.url);
    expect(session).toMatchObject({
      amount_total: 6250,
      currency: 'eur',
      client_reference_id: booking.reference,
      metadata: { booking_reference: booking.reference },
      mode: 'payment',
    });
    // The hold is 15 minutes: the session lasts Stripe's minimum of 30 instead.
    expect(session.expires_at * 1000).toBeGreaterThanOrEqual(before + 30 * MINUTE);
    expect(session.expires_at * 1000).toBeLessThan(before + 35 * MINUTE);
    expect(await row(booking.reference)).toMatchObject({
      status: 'pending',
      payment_method: 'stripe',
      stripe_session_id: session.id,
    });
  });

  it('gives a second click the same session', async () => {
    const { booking, location } = await checkout();
    const again = await payByCard(booking);
    expect(again.headers.location).toBe(location);
    expect(
      [...stripe.sessions.values()].filter((s) => s.client_reference_id === booking.reference),
    ).toHaveLength(1);
  });

  it('confirms the booking once the signed webhook reports it paid: paid_at, the payment, the ticket mail', async () => {
    const { booking, session } = await checkout();
    const answer = await stripe.pay(session.id);
    expect(answer?.status).toBe(200);
    const stored = await row(booking.reference);
    expect(stored).toMatchObject({
      status: 'confirmed',
      payment_method: 'stripe',
      stripe_payment_intent: session.payment_intent,
    });
    expect(stored.paid_at).not.toBeNull();
    expect(await mails(booking.reference, 'booking.confirmed')).toHaveLength(1);
    // The buyer's return lands on the confirmed ticket.
    const back = await booking.browser.get(
      session.success_url
        .replace('{CHECKOUT_SESSION_ID}', session.id)
        .replace(/^https?:\/\/[^/]+/, ''),
    );
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(
      `/purchase/success?ref=${booking.reference}&secret=${booking.secret}`,
    );
  });

  it('confirms once, with one mail, when the same webhook arrives 5 times at once', async () => {
    const { booking, session } = await checkout();
    await stripe.pay(session.id, { notify: false });
    const answers = await Promise.all(Array.from({ length: 5 }, () => stripe.notify(session)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await row(booking.reference)).status).toBe('confirmed');
    expect(await mails(booking.reference, 'booking.confirmed')).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { secret: 'whsec_forged' }],
    ['a malformed signature', { signature: 't=1,v1=00' }],
    ['no signature', { signature: null }],
  ])('answers %s with 400 and changes nothing', async (_case, signing) => {
    const { booking, session } = await checkout();
    await stripe.pay(session.id, { notify: false });
    const before = await row(booking.reference);
    const answer = await stripe.notify(session, signing);
    expect(answer.status).toBe(400);
    expect(await row(booking.reference)).toEqual(before);
  });

  it('does not confirm a session whose amount does not match the booking', async () => {
    const { booking, session } = await checkout();
    const answer = await stripe.pay(session.id, { amountTotal: 100 });
    expect(answer?.status).toBe(200);
    expect((await row(booking.reference)).status).toBe('pending');
  });

  it('asks Stripe itself when the buyer returns before the webhook (a lost webhook still confirms)', async () => {
    const { booking, session } = await checkout();
    await stripe.pay(session.id, { notify: false });
    const back = await booking.browser.get(
      `/booking/${booking.reference}/paid?secret=${booking.secret}`,
    );
    expect(back.status).toBe(303);
    expect((await row(booking.reference)).status).toBe('confirmed');
    expect(await mails(booking.reference, 'booking.confirmed')).toHaveLength(1);
  });

  it('tells a buyer who returns before paying that it waits for the payment, looking again', async () => {
    const { booking } = await checkout();
    const back = await booking.browser.get(
      `/booking/${booking.reference}/paid?secret=${booking.secret}`,
    );
    expect(back.status).toBe(200);
    expect(back.text).toContain('Waiting for the card payment to be confirmed');
    expect(back.text).toContain('<meta http-equiv="refresh" content="3">');
  });

  it('expires the Checkout Session of a hold that lapses, so nobody pays for it', async () => {
    const { booking, session } = await checkout();
    await lapse(booking.reference);
    expect((await row(booking.reference)).status).toBe('expired');
    expect(stripe.sessions.get(session.id)!.status).toBe('expired');
  });

  it('confirms a payment that lands after the hold lapsed when its tickets are still free', async () => {
    const { booking, session } = await checkout();
    await stripe.pay(session.id, { notify: false }); // paid on Stripe's page at the last second
    await lapse(booking.reference);
    expect((await row(booking.reference)).status).toBe('expired');
    const sold = (await ticketTypesOf(testApp, eventId)).map((type) => type.sold);
    expect((await stripe.notify(session)).status).toBe(200);
    expect((await row(booking.reference)).status).toBe('confirmed');
    expect((await ticketTypesOf(testApp, eventId)).map((type) => type.sold)).toEqual([
      sold[0] + 2,
      sold[1] + 1,
    ]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('refunds in full, once, a payment that lands after its tickets were sold again, and tells the buyer', async () => {
    const { eventId: small } = await insertEvent(testApp, {
      ticketTypes: [{ priceCents: 3000, capacity: 2 }],
    });
    const { booking, session } = await checkout(small, [2]);
    await stripe.pay(session.id, { notify: false });
    await lapse(booking.reference);
    await hold(small, [2]); // someone else takes the two freed tickets
    const answers = await Promise.all([stripe.notify(session), stripe.notify(session)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(
      stripe.refunds.filter((refund) => refund.payment_intent === session.payment_intent),
    ).toEqual([
      expect.objectContaining({
        amount: 6000,
        idempotencyKey: `unwanted-${session.payment_intent}`,
      }),
    ]);
    expect(await row(booking.reference)).toMatchObject({
      status: 'expired',
      refunded_cents: 6000,
      paid_at: null,
    });
    expect((await ticketTypesOf(testApp, small))[0].sold).toBe(2);
    expect(await mails(booking.reference, 'booking.refunded')).toHaveLength(1);
  });

  it('answers 5xx when the refund of an unwanted payment fails, so Stripe delivers again, and refunds then', async () => {
    const { eventId: small } = await insertEvent(testApp, {
      ticketTypes: [{ priceCents: 3000, capacity: 1 }],
    });
    const { booking, session } = await checkout(small, [1]);
    await stripe.pay(session.id, { notify: false });
    await lapse(booking.reference);
    await hold(small, [1]);
    stripe.failRefunds = 3; // the SDK retries twice, then gives up
    expect((await stripe.notify(session)).status).toBeGreaterThanOrEqual(500);
    expect((await row(booking.reference)).refunded_cents).toBe(0);
    expect((await stripe.notify(session)).status).toBe(200);
    expect((await row(booking.reference)).refunded_cents).toBe(3000);
  });

  it('gives each booking one outcome when the webhook races the expiry sweep and a cancel', async () => {
    const { eventId: race } = await insertEvent(testApp, {
      ticketTypes: [{ priceCents: 1000, capacity: 20 }],
    });
    const paid = [];
    for (let i = 0; i < 20; i++) {
      const { booking, session } = await checkout(race, [1]);
      await stripe.pay(session.id, { notify: false });
      paid.push({ booking, session });
    }
    await writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE event_id = ?', [
      timestampParam(testApp, new Date(Date.now() - 1000)),
      race,
    ]);
    const sweeper = testApp.app.get(HoldSweeper);
    const bookings = testApp.app.get(BookingService);
    const answers = await Promise.all(
      paid.flatMap(({ booking, session }) => [
        stripe.notify(session).then((answer) => answer.status),
        sweeper.sweep().then(() => 200),
        bookings.cancel(booking.reference, { secret: booking.secret }).then(
          () => 200,
          (error: unknown) => (error instanceof PaidBookingError ? 409 : 500),
        ),
      ]),
    );
    expect(answers.filter((status) => status >= 500)).toEqual([]);
    for (const { booking, session } of paid) {
      const stored = await row(booking.reference);
      const refunds = stripe.refunds.filter(
        (refund) => refund.payment_intent === session.payment_intent,
      );
      if (stored.status === 'confirmed') {
        expect(refunds).toEqual([]);
      } else {
        // Cancelled or lapsed before the payment was taken: the money went back, once.
        await eventually(
          async () => (await row(booking.reference)).refunded_cents === 1000,
          'the refund',
        );
        expect(
          stripe.refunds.filter((refund) => refund.payment_intent === session.payment_intent),
        ).toHaveLength(1);
      }
    }
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });
});
