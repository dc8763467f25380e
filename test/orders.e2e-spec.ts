import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HoldSweeper } from '../src/bookings/hold-sweeper';
import { eventually } from './support/eventually';
import { decodeQuotedPrintable } from './support/quoted-printable';
import {
  Browser,
  buyWithForm,
  createApiToken,
  createEvent,
  FormBooking,
  futureDateTime,
  hiddenField,
  registerAdminAndTwoOrganisers,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const INSTRUCTIONS = 'Riverside Tickets Ltd\nIBAN DE02 1203 0000 0000 2020 51';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface BookingRow {
  status: string;
  payment_method: string | null;
  expires_at: Date | string | null;
  paid_at: Date | string | null;
  refunded_cents: number;
}

/** A stored timestamp (PostgreSQL gives a Date, SQLite UTC text) as epoch milliseconds. */
const epochOf = (value: Date | string | null) =>
  value === null ? null : value instanceof Date ? value.getTime() : Date.parse(`${value}Z`);

/** PRODUCT.md "Orders: hold, pay, confirm": held tickets, the pay page, paying, lapsing. */
describe('orders that take money', () => {
  let testApp: TestApp;
  let outboxDir: string;
  let admin: Browser;
  let organiser: Browser;
  let token: string;

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'orders-outbox-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    ({ admin, organiserA: organiser } = await registerAdminAndTwoOrganisers(testApp));
    token = await createApiToken(admin);
  });
  afterAll(async () => {
    await testApp.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const api = () => request(testApp.app.getHttpServer());
  const settings = (body: object) =>
    api().put('/api/v1/settings').set('Authorization', `Bearer ${token}`).send(body);
  const offerBankTransfer = () =>
    settings({ bankTransferInstructions: INSTRUCTIONS, bankTransferDays: 3, onSitePayment: true });
  const onlyAtTheDoor = () => settings({ bankTransferInstructions: '', onSitePayment: true });

  const row = async (reference: string) =>
    (
      await testApp.sql<BookingRow[]>(
        'SELECT status, payment_method, expires_at, paid_at, refunded_cents FROM bookings WHERE reference = ?',
        [reference],
      )
    )[0];
  const soldOf = async (eventId: number) =>
    (await ticketTypesOf(testApp, eventId)).map((type) => type.sold);
  /** The mails written for a booking, by kind, as `.eml` files of the outbox directory. */
  const mailsAbout = (reference: string, kind: string) =>
    readdirSync(outboxDir)
      .filter((name) => name.endsWith(`-${kind}.eml`))
      .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
      .filter((text) => text.includes(reference));
  const mailAbout = (reference: string, kind: string) =>
    eventually(() => mailsAbout(reference, kind)[0], `the ${kind} mail of ${reference}`);
  /** Makes a hold's time run out. */
  const runOut = (reference: string) =>
    writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE reference = ?', [
      timestampParam(testApp, new Date(Date.now() - 1000)),
      reference,
    ]);
  /** Makes a hold lapse, and sweeps it as the app would within seconds. */
  const lapse = async (reference: string) => {
    await runOut(reference);
    await testApp.app.get(HoldSweeper).sweep();
  };

  /** A published event of the organiser: Full price 25.00 × 100, Concession 12.50 × 50. */
  const newEvent = () => createEvent(testApp, organiser);
  const hold = (eventId: number, quantities = [2, 1]) =>
    // A buyer of their own each time: one address gets at most 20 mails an hour.
    buyWithForm(testApp, eventId, { quantities, attendeeEmail: uniqueEmail('buyer') });
  const payPage = (booking: FormBooking) =>
    booking.browser.get(`/booking/${booking.reference}/pay?secret=${booking.secret}`);
  const pay = async (booking: FormBooking, method: string, secret = booking.secret) => {
    return booking.browser.post(`/booking/${booking.reference}/pay`, {
      _csrf: await booking.browser.csrfToken(),
      secret,
      method,
    });
  };
  const markPaid = (reference: string, next?: string) =>
    organiser.submit(
      `/organiser/bookings/${reference}/mark-paid`,
      next ? { next } : {},
      '/organiser',
    );

  describe('with paying at the door the only method (out of the box)', () => {
    beforeAll(() => onlyAtTheDoor());

    it('confirms a paid purchase at once, due at the door, as in Part 1', async () => {
      const eventId = await newEvent();
      const booking = await hold(eventId);
      expect(await row(booking.reference)).toMatchObject({
        status: 'confirmed',
        payment_method: 'on_site',
        expires_at: null,
        paid_at: null,
      });
      const page = await booking.browser.get(
        `/booking/${booking.reference}?secret=${booking.secret}`,
      );
      expect(page.text).toContain('Please pay <strong>€62.50</strong> at the door.');
    });
  });

  describe('with bank transfer offered', () => {
    let eventId: number;
    beforeAll(async () => {
      await offerBankTransfer();
      eventId = await newEvent();
    });

    it('holds the tickets for the event’s minutes and sends the buyer to the pay page', async () => {
      const before = Date.now();
      const booking = await hold(eventId);
      const stored = await row(booking.reference);
      expect(stored).toMatchObject({ status: 'pending', payment_method: null, paid_at: null });
      expect(epochOf(stored.expires_at)).toBeGreaterThanOrEqual(before + 15 * MINUTE - 1000);
      expect(epochOf(stored.expires_at)).toBeLessThanOrEqual(Date.now() + 15 * MINUTE + 1000);
      expect(await soldOf(eventId)).toEqual([2, 1]);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);

      const page = await payPage(booking);
      expect(page.status).toBe(200);
      expect(page.text).toContain('€62.50');
      expect(page.text).toMatch(/<time datetime="[^"]+" data-countdown>/);
      expect(page.text).toContain('Pay by bank transfer');
      expect(page.text).toContain('Pay at the door');
    });

    it('mails the buyer to complete the payment, with the pay link', async () => {
      const booking = await hold(eventId);
      const mail = await mailAbout(booking.reference, 'booking.payment_due');
      expect(mail).toContain('Subject: Complete your payment');
      expect(mail).toContain(`/booking/${booking.reference}/pay?secret=${booking.secret}`);
      expect(mailsAbout(booking.reference, 'booking.confirmed')).toEqual([]);
    });

    it('keeps a transfer held for the settings’ days, shows the bank details and the reference, and mails them', async () => {
      const booking = await hold(eventId);
      const before = Date.now();
      const res = await pay(booking, 'bank_transfer');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/booking/${booking.reference}?secret=${booking.secret}`);
      const stored = await row(booking.reference);
      expect(stored).toMatchObject({ status: 'pending', payment_method: 'bank_transfer' });
      expect(epochOf(stored.expires_at)).toBeGreaterThanOrEqual(before + 3 * DAY - 1000);
      const page = await booking.browser.get(res.headers.location);
      expect(page.text).toContain('IBAN DE02 1203 0000 0000 2020 51');
      expect(page.text).toContain(`quoting the reference <strong>${booking.reference}</strong>`);
      await eventually(
        () =>
          mailsAbout(booking.reference, 'booking.payment_due').find((mail) =>
            mail.includes('IBAN DE02 1203 0000 0000 2020 51'),
          ),
        'the mail with the bank details',
      );
    });

    it('never holds a transfer past the event’s start', async () => {
      const soon = await createEvent(testApp, organiser, {
        startsAt: futureDateTime(1 + 3 / (24 * 60)),
      });
      const booking = await hold(soon, [1, 0]);
      await pay(booking, 'bank_transfer');
      const [{ starts_at }] = await testApp.sql<{ starts_at: Date | string }[]>(
        'SELECT starts_at FROM events WHERE id = ?',
        [soon],
      );
      expect(epochOf((await row(booking.reference)).expires_at)).toBe(epochOf(starts_at));
    });

    it('confirms a transfer marked paid by the organiser: paid_at set, the ticket mailed, audit-logged', async () => {
      const booking = await hold(eventId);
      await pay(booking, 'bank_transfer');
      const res = await markPaid(booking.reference);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/organiser/events/${eventId}/bookings`);
      const stored = await row(booking.reference);
      expect(stored).toMatchObject({ status: 'confirmed', expires_at: null });
      expect(stored.paid_at).not.toBeNull();
      const mail = await mailAbout(booking.reference, 'booking.confirmed');
      expect(mail).toMatch(/^Content-Type: image\/png/m);
      const audit = await testApp.sql(
        "SELECT id FROM audit_log WHERE action = 'booking.marked-paid' AND subject = ?",
        [`booking ${booking.reference}`],
      );
      expect(audit).toHaveLength(1);

      // Marking it again changes nothing: no second mail, no second entry.
      expect((await markPaid(booking.reference)).status).toBe(303);
      expect(await row(booking.reference)).toEqual(stored);
      expect(
        await testApp.sql(
          "SELECT id FROM audit_log WHERE action = 'booking.marked-paid' AND subject = ?",
          [`booking ${booking.reference}`],
        ),
      ).toHaveLength(1);
    });

    it('confirms at once, due at the door, when the buyer chooses to pay there', async () => {
      const booking = await hold(eventId);
      const res = await pay(booking, 'on_site');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(
        new RegExp(`^/purchase/success\\?ref=${booking.reference}&secret=`),
      );
      expect(await row(booking.reference)).toMatchObject({
        status: 'confirmed',
        payment_method: 'on_site',
        expires_at: null,
        paid_at: null,
      });
      await mailAbout(booking.reference, 'booking.confirmed');
    });

    it.each([
      ['an unknown method', 'cheque', 422],
      ['a method the site does not offer', 'stripe', 422],
      ['no method', '', 422],
    ])(
      'refuses %s with %i, the pay page again and nothing changed',
      async (_case, method, status) => {
        const booking = await hold(eventId);
        const before = await row(booking.reference);
        const res = await pay(booking, method);
        expect(res.status).toBe(status);
        expect(res.text).toContain('Choose one of the ways to pay shown on the page.');
        expect(await row(booking.reference)).toEqual(before);
      },
    );

    it('answers a wrong secret with 404, changing nothing', async () => {
      const booking = await hold(eventId);
      const before = await row(booking.reference);
      const res = await pay(booking, 'on_site', 'not-the-secret');
      expect(res.status).toBe(404);
      expect(await row(booking.reference)).toEqual(before);
      expect(
        (await testApp.browser().get(`/booking/${booking.reference}/pay?secret=x`)).status,
      ).toBe(404);
    });

    it('refuses to take a method for a booking no longer held (confirmed, or lapsed) with 409', async () => {
      const confirmed = await hold(eventId);
      await pay(confirmed, 'on_site');
      const again = await pay(confirmed, 'bank_transfer');
      expect(again.status).toBe(409);
      expect(again.text).toContain('This booking is confirmed');

      const lapsed = await hold(eventId);
      await lapse(lapsed.reference);
      const before = await row(lapsed.reference);
      const late = await pay(lapsed, 'on_site');
      expect(late.status).toBe(409);
      expect(late.text).toContain('This booking is expired');
      expect(await row(lapsed.reference)).toEqual(before);
    });

    it('sends the pay page of a booking no longer held to the booking’s own page', async () => {
      const booking = await hold(eventId);
      await pay(booking, 'on_site');
      const res = await payPage(booking);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/booking/${booking.reference}?secret=${booking.secret}`);
    });

    it('lets the buyer cancel a held booking: its tickets go back at once', async () => {
      const own = await newEvent();
      const booking = await hold(own);
      const page = await booking.browser.get(
        `/booking/${booking.reference}?secret=${booking.secret}`,
      );
      const res = await booking.browser.post(`/booking/${booking.reference}/cancel`, {
        _csrf: hiddenField(page.text, '_csrf'),
        secret: booking.secret,
      });
      expect(res.status).toBe(303);
      expect(await row(booking.reference)).toMatchObject({ status: 'cancelled', expires_at: null });
      expect(await soldOf(own)).toEqual([0, 0]);
    });
  });

  describe('expiry', () => {
    let eventId: number;
    beforeAll(async () => {
      await offerBankTransfer();
      eventId = await newEvent();
    });

    it('expires a lapsed hold with nobody visiting: tickets back on sale, the buyer mailed, the page truthful', async () => {
      const booking = await hold(eventId);
      const sold = await soldOf(eventId);
      await runOut(booking.reference);
      await eventually(
        async () => (await row(booking.reference)).status === 'expired',
        'the sweep to expire the hold',
      );
      expect(await row(booking.reference)).toMatchObject({ expires_at: null, paid_at: null });
      expect(await soldOf(eventId)).toEqual([sold[0] - 2, sold[1] - 1]);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
      const mail = await mailAbout(booking.reference, 'booking.expired');
      expect(mail).toContain('Subject: Your reservation lapsed');
      const page = await booking.browser.get(
        `/booking/${booking.reference}?secret=${booking.secret}`,
      );
      expect(page.text).toContain('This reservation was not paid in time');
    });

    it('returns the tickets of a lapsed hold exactly once, however many sweeps run at once', async () => {
      const booking = await hold(eventId);
      const sold = await soldOf(eventId);
      await runOut(booking.reference);
      const sweeper = testApp.app.get(HoldSweeper);
      await Promise.all(Array.from({ length: 10 }, () => sweeper.sweep()));
      expect((await row(booking.reference)).status).toBe('expired');
      expect(await soldOf(eventId)).toEqual([sold[0] - 2, sold[1] - 1]);
      // The app's own sweep may have been among them: still one expiry, one mail.
      await mailAbout(booking.reference, 'booking.expired');
      expect(mailsAbout(booking.reference, 'booking.expired')).toHaveLength(1);
    });

    it('takes the tickets of a lapsed booking again when a late transfer is marked paid and they are free', async () => {
      const booking = await hold(eventId);
      await pay(booking, 'bank_transfer');
      await lapse(booking.reference);
      const sold = await soldOf(eventId);
      expect((await markPaid(booking.reference)).status).toBe(303);
      expect(await row(booking.reference)).toMatchObject({ status: 'confirmed' });
      expect(await soldOf(eventId)).toEqual([sold[0] + 2, sold[1] + 1]);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('refuses a late transfer marked paid when its tickets were sold again (409), changing nothing', async () => {
      const small = await createEvent(testApp, organiser, {
        'ticketTypes[0][capacity]': '2',
        'ticketTypes[1][capacity]': '1',
      });
      const booking = await hold(small);
      await lapse(booking.reference);
      await hold(small, [1, 1]);
      const before = await row(booking.reference);
      const res = await markPaid(booking.reference);
      expect(res.status).toBe(409);
      expect(res.text).toContain('sold again');
      expect(await row(booking.reference)).toEqual(before);
      expect(await soldOf(small)).toEqual([1, 1]);
    });
  });

  describe('check-in', () => {
    let eventId: number;
    const desk = () => `/organiser/events/${eventId}/check-in`;
    const checkIn = (reference: string) => organiser.submit(desk(), { reference }, desk());
    beforeAll(async () => {
      await offerBankTransfer();
      eventId = await newEvent();
    });

    it('refuses a booking not paid yet (409, saying why), and lets it be marked paid there', async () => {
      const booking = await hold(eventId);
      await pay(booking, 'bank_transfer');
      const res = await checkIn(booking.reference);
      expect(res.status).toBe(409);
      expect(res.text).toContain('is not paid yet');
      expect(res.text).toContain('€62.50 due at the door');
      expect((await markPaid(booking.reference, desk())).headers.location).toBe(desk());
      expect((await checkIn(booking.reference)).status).toBe(200);
    });

    it('refuses a lapsed booking (409, saying why)', async () => {
      const booking = await hold(eventId);
      await lapse(booking.reference);
      const res = await checkIn(booking.reference);
      expect(res.status).toBe(409);
      expect(res.text).toContain('lapsed unpaid');
      expect((await row(booking.reference)).status).toBe('expired');
    });

    it('checks in a booking to be paid at the door, showing the amount due, and records it paid', async () => {
      const booking = await hold(eventId);
      await pay(booking, 'on_site');
      const res = await checkIn(booking.reference);
      expect(res.status).toBe(200);
      expect(res.text).toContain('€62.50 due at the door');
      await markPaid(booking.reference, desk());
      expect((await row(booking.reference)).paid_at).not.toBeNull();
    });
  });

  describe('the API', () => {
    let eventId: number;
    let typeIds: number[];
    beforeAll(async () => {
      await offerBankTransfer();
      eventId = await newEvent();
      typeIds = (await ticketTypesOf(testApp, eventId)).map((type) => type.id);
    });
    const book = (body: object) =>
      api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set('Authorization', `Bearer ${token}`)
        .send({
          attendeeName: 'Box Office',
          attendeeEmail: 'box@example.com',
          items: [{ ticketTypeId: typeIds[0], quantity: 1 }],
          ...body,
        });

    it('confirms a booking paid at the box office (manual, the default), paid now', async () => {
      const res = await book({});
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'confirmed',
        paymentMethod: 'manual',
        expiresAt: null,
        refundedCents: 0,
      });
      expect(Date.parse(res.body.paidAt)).toBeLessThanOrEqual(Date.now());
    });

    it('holds a booking to be paid by transfer, and confirms it when marked paid', async () => {
      const res = await book({ paymentMethod: 'bank_transfer' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'pending',
        paymentMethod: 'bank_transfer',
        paidAt: null,
      });
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 3 * DAY - MINUTE);
      const paid = await api()
        .post(`/api/v1/bookings/${res.body.reference}/mark-paid`)
        .set('Authorization', `Bearer ${token}`);
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ status: 'confirmed', expiresAt: null });
      expect(paid.body.paidAt).not.toBeNull();
    });

    it('refuses an unknown paymentMethod with 400 naming it, booking nothing', async () => {
      const sold = await soldOf(eventId);
      const res = await book({ paymentMethod: 'stripe' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('paymentMethod');
      expect(await soldOf(eventId)).toEqual(sold);
    });

    it('refuses a bank transfer when the site takes none, booking nothing', async () => {
      await onlyAtTheDoor();
      try {
        const sold = await soldOf(eventId);
        const res = await book({ paymentMethod: 'bank_transfer' });
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain('Bank transfer is not set up');
        expect(await soldOf(eventId)).toEqual(sold);
      } finally {
        await offerBankTransfer();
      }
    });

    it('answers mark-paid of another organiser’s booking, or an unknown one, with 404', async () => {
      const res = await api()
        .post('/api/v1/bookings/ZZZZZZZZZZ/mark-paid')
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(404);
    });
  });
});
