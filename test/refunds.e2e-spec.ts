import request from 'supertest';
import { StripeStandIn, startTestAppWithStripe } from './support/stripe-stand-in';
import {
  Browser,
  buyWithForm,
  createApiToken,
  FormBooking,
  insertEvent,
  register,
  soldMatchesBookedItems,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from './support/test-app';

interface Row {
  status: string;
  refunded_cents: number;
}

/** PRODUCT.md "Refunds": by organisers, partial or full, never more than was paid, once. */
describe('refunds', () => {
  let stripe: StripeStandIn;
  let testApp: TestApp;
  let admin: Browser;
  let token: string;
  let eventId: number;

  beforeAll(async () => {
    stripe = await new StripeStandIn().start();
    testApp = await startTestAppWithStripe(stripe);
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    await api()
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
      .expect(200);
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

  const api = () => request(testApp.app.getHttpServer());
  const row = async (reference: string) =>
    (
      await testApp.sql<Row[]>('SELECT status, refunded_cents FROM bookings WHERE reference = ?', [
        reference,
      ])
    )[0];
  const soldOf = async () => (await ticketTypesOf(testApp, eventId)).map((type) => type.sold);
  const hold = () =>
    buyWithForm(testApp, eventId, { quantities: [2, 1], attendeeEmail: uniqueEmail('refund') });
  const choose = async (booking: FormBooking, method: string) =>
    booking.browser.post(`/booking/${booking.reference}/pay`, {
      _csrf: await booking.browser.csrfToken(),
      secret: booking.secret,
      method,
    });
  /** A booking of 62.50 paid by card. */
  const paidByCard = async () => {
    const booking = await hold();
    await choose(booking, 'stripe');
    const session = stripe.sessionOf(booking.reference)!;
    await stripe.pay(session.id);
    return { booking, paymentIntent: stripe.sessions.get(session.id)!.payment_intent! };
  };
  /** A booking of 62.50 paid by transfer, marked paid by the admin. */
  const paidByTransfer = async () => {
    const booking = await hold();
    await choose(booking, 'bank_transfer');
    await admin.submit(`/organiser/bookings/${booking.reference}/mark-paid`, {}, '/organiser');
    return booking;
  };
  const refundPage = (reference: string) => `/organiser/bookings/${reference}/refund`;
  const refund = (reference: string, amount = '') =>
    admin.submit(refundPage(reference), { amount }, refundPage(reference));

  it('refunds part of a card payment through Stripe: the booking and its tickets stay', async () => {
    const { booking, paymentIntent } = await paidByCard();
    const sold = await soldOf();
    const page = await admin.get(refundPage(booking.reference));
    expect(page.text).toContain('at most €62.50');
    const res = await refund(booking.reference, '10.00');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/organiser/events/${eventId}/bookings`);
    expect(await row(booking.reference)).toEqual({ status: 'confirmed', refunded_cents: 1000 });
    expect(stripe.refunds.filter((r) => r.payment_intent === paymentIntent)).toEqual([
      expect.objectContaining({ amount: 1000, idempotencyKey: `refund-${booking.reference}-1` }),
    ]);
    expect(await soldOf()).toEqual(sold);
    const audit = await testApp.sql(
      "SELECT details FROM audit_log WHERE action = 'booking.refunded' AND subject = ?",
      [`booking ${booking.reference}`],
    );
    expect(audit).toEqual([{ details: expect.stringContaining('10.00') }]);
    const mails = await testApp.sql(
      "SELECT o.id FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.reference = ? AND o.kind = 'booking.refunded'",
      [booking.reference],
    );
    expect(mails).toHaveLength(1);
  });

  it('refunds the rest when the amount is left empty: the booking is cancelled and its tickets go back once', async () => {
    const { booking, paymentIntent } = await paidByCard();
    await refund(booking.reference, '12.50');
    const sold = await soldOf();
    expect((await refund(booking.reference)).status).toBe(303);
    expect(await row(booking.reference)).toEqual({ status: 'cancelled', refunded_cents: 6250 });
    expect(
      stripe.refunds.filter((r) => r.payment_intent === paymentIntent).map((r) => r.amount),
    ).toEqual([1250, 5000]);
    expect(await soldOf()).toEqual([sold[0] - 2, sold[1] - 1]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);

    const again = await refund(booking.reference);
    expect(again.status).toBe(409);
    expect(again.text).toContain('refunded already');
  });

  it('records the refund of a transfer by hand, without Stripe', async () => {
    const booking = await paidByTransfer();
    const calls = stripe.refunds.length;
    expect((await refund(booking.reference, '62.50')).status).toBe(303);
    expect(await row(booking.reference)).toEqual({ status: 'cancelled', refunded_cents: 6250 });
    expect(stripe.refunds).toHaveLength(calls);
  });

  it.each([
    ['more than was paid', '62.51', 'At most 62.50 can be refunded.'],
    ['text', 'all of it', 'Enter an amount such as 12.50'],
    ['a negative amount', '-1.00', 'Enter an amount such as 12.50'],
    ['three decimals', '1.234', 'Enter an amount such as 12.50'],
    ['a decimal comma', '12,50', 'Enter an amount such as 12.50'],
  ])(
    'refuses %s with 422, the form again with what was typed, nothing changed',
    async (_case, amount, message) => {
      const booking = await paidByTransfer();
      const res = await refund(booking.reference, amount);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`value="${amount}"`);
      expect(await row(booking.reference)).toEqual({ status: 'confirmed', refunded_cents: 0 });
    },
  );

  it('refuses to refund a booking nothing was paid for (409)', async () => {
    const booking = await hold();
    await choose(booking, 'on_site');
    const res = await refund(booking.reference);
    expect(res.status).toBe(409);
    expect(res.text).toContain('nothing to refund');
  });

  it('changes nothing, and says so, when Stripe fails to make the refund', async () => {
    const { booking } = await paidByCard();
    stripe.failRefunds = 3; // the SDK's two retries too
    const res = await refund(booking.reference, '5.00');
    expect(res.status).toBe(502);
    expect(res.text).toContain('Stripe did not make the refund, so nothing was changed');
    expect(await row(booking.reference)).toEqual({ status: 'confirmed', refunded_cents: 0 });
    expect(
      await testApp.sql(
        'SELECT id FROM refunds WHERE booking_id = (SELECT id FROM bookings WHERE reference = ?)',
        [booking.reference],
      ),
    ).toEqual([]);
  });

  it('answers another organiser’s refund page and refund with 404', async () => {
    const booking = await paidByTransfer();
    const other = testApp.browser();
    await register(other, uniqueEmail('other'));
    expect((await other.get(refundPage(booking.reference))).status).toBe(404);
    expect(
      (await other.submit(refundPage(booking.reference), { amount: '' }, '/organiser')).status,
    ).toBe(404);
    expect((await row(booking.reference)).refunded_cents).toBe(0);
  });

  it('refunds once when the same full refund is posted 20 times at once', async () => {
    const booking = await paidByTransfer();
    const csrf = await admin.csrfToken(refundPage(booking.reference));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        admin.post(refundPage(booking.reference), { _csrf: csrf, amount: '' }),
      ),
    );
    // The first refunds; the others are answered with it (the same submission) or told it is done.
    expect(answers.filter((res) => res.status !== 303 && res.status !== 409)).toEqual([]);
    expect(
      await testApp.sql(
        'SELECT amount_cents FROM refunds WHERE booking_id = (SELECT id FROM bookings WHERE reference = ?)',
        [booking.reference],
      ),
    ).toEqual([{ amount_cents: 6250 }]);
    expect(await row(booking.reference)).toEqual({ status: 'cancelled', refunded_cents: 6250 });
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('makes one Stripe refund when the same card refund is posted 10 times at once', async () => {
    const { booking, paymentIntent } = await paidByCard();
    const csrf = await admin.csrfToken(refundPage(booking.reference));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        admin.post(refundPage(booking.reference), { _csrf: csrf, amount: '10.00' }),
      ),
    );
    expect(answers.filter((res) => res.status >= 500)).toEqual([]);
    const made = stripe.refunds.filter((r) => r.payment_intent === paymentIntent);
    const { refunded_cents } = await row(booking.reference);
    expect(refunded_cents).toBe(made.reduce((sum, r) => sum + r.amount, 0));
    expect(refunded_cents).toBeLessThanOrEqual(6250);
  });

  describe('the API', () => {
    const refunds = (reference: string, body: object) =>
      api()
        .post(`/api/v1/bookings/${reference}/refunds`)
        .set('Authorization', `Bearer ${token}`)
        .send(body);

    it('answers 201 with the refund', async () => {
      const booking = await paidByTransfer();
      const res = await refunds(booking.reference, { amountCents: 500 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        bookingReference: booking.reference,
        amountCents: 500,
        status: 'succeeded',
        createdAt: expect.any(String),
      });
      expect((await refunds(booking.reference, {})).body.amountCents).toBe(5750);
    });

    it.each([
      ['0 cents', { amountCents: 0 }, 400],
      ['a fraction of a cent', { amountCents: 1.5 }, 400],
      ['text', { amountCents: '500' }, 400],
      ['more than was paid', { amountCents: 6251 }, 422],
    ])('refuses %s (%i), changing nothing', async (_case, body, status) => {
      const booking = await paidByTransfer();
      const res = await refunds(booking.reference, body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body)).toContain('amountCents');
      expect((await row(booking.reference)).refunded_cents).toBe(0);
    });
  });
});
