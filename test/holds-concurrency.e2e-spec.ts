import { ConflictException } from '@nestjs/common';
import request from 'supertest';
import { SoldOutError } from '../src/bookings/booking.errors';
import { BookingPaymentsService } from '../src/bookings/booking-payments.service';
import { BookingService } from '../src/bookings/booking.service';
import { HoldSweeper } from '../src/bookings/hold-sweeper';
import { PaymentPlan } from '../src/bookings/payment-plan';
import { eventually } from './support/eventually';
import {
  Browser,
  buyWithForm,
  createApiToken,
  hiddenField,
  insertEvent,
  organiserOf,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  writeSql,
} from './support/test-app';

const HOLD: PaymentPlan = { hold: 'until_chosen' };
const PAY_PAGE = /^\/booking\/[0-9A-Z]{10}\/pay\?secret=/;
const SOLD_OUT = /^\/purchase\/fail\?reason=sold_out/;

/**
 * PRODUCT.md "Orders": `sold` is the items of pending and confirmed bookings at every moment,
 * and every hold, expiry, payment and cancel happens exactly once, whatever runs beside it.
 */
describe('held tickets under concurrency', () => {
  let testApp: TestApp;
  let bookings: BookingService;
  let sweeper: HoldSweeper;
  let buyerCount = 0;

  beforeAll(async () => {
    testApp = await startTestApp();
    // One server already listening: supertest would otherwise start and stop it around concurrent requests.
    await testApp.app.listen(0);
    bookings = testApp.app.get(BookingService);
    sweeper = testApp.app.get(HoldSweeper);
    const admin = testApp.browser();
    await register(admin);
    const token = await createApiToken(admin);
    // With a transfer offered, every paid purchase is held while its buyer pays.
    await request(testApp.app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
      .expect(200);
  });
  afterAll(() => testApp.close());

  const order = (ticketTypeId: number) => {
    const n = ++buyerCount;
    return {
      attendeeName: `Buyer ${n}`,
      attendeeEmail: `buyer${n}@example.com`,
      lines: [{ ticketTypeId, quantity: 1 }],
    };
  };
  const statusCounts = async (eventId: number) =>
    Object.fromEntries(
      (
        await testApp.sql<{ status: string; count: number | string }[]>(
          'SELECT status, COUNT(*) AS count FROM bookings WHERE event_id = ? GROUP BY status',
          [eventId],
        )
      ).map((row) => [row.status, Number(row.count)]),
    );
  const mailsOfKind = async (eventId: number, kind: string) =>
    Number(
      (
        await testApp.sql<{ count: number | string }[]>(
          'SELECT COUNT(*) AS count FROM outbox WHERE event_id = ? AND kind = ?',
          [eventId, kind],
        )
      )[0].count,
    );
  const lapseAll = (eventId: number) =>
    writeSql(
      testApp,
      "UPDATE bookings SET expires_at = ? WHERE event_id = ? AND status = 'pending'",
      [timestampParam(testApp, new Date(Date.now() - 1000)), eventId],
    );

  describe('1000 buyers over HTTP for 100 tickets held while they pay', () => {
    let eventId: number;
    let outcomes: { status: number; location: string }[];

    beforeAll(async () => {
      ({ eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100 }] }));
      const [type] = await ticketTypesOf(testApp, eventId);
      const buyers = await Promise.all(
        Array.from({ length: 1000 }, async () => {
          const browser = testApp.browser();
          const page = await browser.get(`/buy-tickets/${eventId}`);
          return { browser, page: page.text };
        }),
      );
      const answers = await Promise.all(
        buyers.map(({ browser, page }, i) =>
          browser.post(`/purchase/${eventId}`, {
            _csrf: hiddenField(page, '_csrf'),
            idempotencyKey: hiddenField(page, 'idempotencyKey'),
            attendeeName: `Crowd ${i}`,
            attendeeEmail: `crowd${i}@example.com`,
            [`quantities[${type.id}]`]: '1',
          }),
        ),
      );
      outcomes = answers.map((res) => ({
        status: res.status,
        location: String(res.headers.location),
      }));
    });

    it('answers every buyer with the pay page or "sold out", never a 5xx', () => {
      expect(outcomes.filter((outcome) => outcome.status >= 500)).toEqual([]);
      expect(
        outcomes.filter(
          (outcome) =>
            outcome.status !== 303 ||
            !(PAY_PAGE.test(outcome.location) || SOLD_OUT.test(outcome.location)),
        ),
      ).toEqual([]);
    });

    it('holds exactly the 100 tickets there are, one pending booking for each pay page answered', async () => {
      expect(outcomes.filter((outcome) => PAY_PAGE.test(outcome.location))).toHaveLength(100);
      expect(await statusCounts(eventId)).toEqual({ pending: 100 });
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(100);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });
  });

  describe('holds lapsing while new buyers arrive', () => {
    let eventId: number;
    let ticketTypeId: number;

    beforeAll(async () => {
      ({
        eventId,
        ticketTypeIds: [ticketTypeId],
      } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100 }] }));
      await Promise.all(
        Array.from({ length: 100 }, () => bookings.book(eventId, order(ticketTypeId), HOLD)),
      );
      await lapseAll(eventId);
    });

    it('returns each lapsed hold’s ticket exactly once, and sells each freed ticket exactly once', async () => {
      const race = await Promise.allSettled([
        ...Array.from({ length: 5 }, () => sweeper.sweep()),
        ...Array.from({ length: 300 }, () => bookings.book(eventId, order(ticketTypeId), HOLD)),
      ]);
      await sweeper.sweep();
      const late = await Promise.allSettled(
        Array.from({ length: 200 }, () => bookings.book(eventId, order(ticketTypeId), HOLD)),
      );
      const failures = [...race, ...late].filter((result) => result.status === 'rejected');
      expect(failures.filter((failure) => !(failure.reason instanceof SoldOutError))).toEqual([]);

      // The five sweeps (and the app's own, in the background) expired each hold once: one mail each.
      expect(race.slice(0, 5).filter((result) => result.status === 'rejected')).toEqual([]);
      const newHolds = [...race.slice(5), ...late].filter(
        (result) => result.status === 'fulfilled',
      );
      expect(newHolds).toHaveLength(100);
      expect(await statusCounts(eventId)).toEqual({ expired: 100, pending: 100 });
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(100);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
      await eventually(
        async () => (await mailsOfKind(eventId, 'booking.expired')) === 100,
        'the mails',
      );
    });
  });

  describe('a payment, the expiry and a cancel racing for the same bookings', () => {
    it('gives every booking exactly one outcome and keeps sold equal to what is held or confirmed', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 60 }],
      });
      const organiser = await organiserOf(testApp, eventId);
      const held = await Promise.all(
        Array.from({ length: 50 }, () =>
          bookings.book(eventId, order(ticketTypeIds[0]), { hold: 'bank_transfer', days: 3 }),
        ),
      );
      await lapseAll(eventId);
      const payments = testApp.app.get(BookingPaymentsService);
      const results = await Promise.allSettled(
        held.flatMap((booking) => [
          sweeper.sweep(),
          payments.markPaid(organiser, booking.reference),
          bookings.cancel(booking.reference, { secret: booking.secret }),
        ]),
      );
      const unexpected = results.filter(
        (result) => result.status === 'rejected' && !(result.reason instanceof ConflictException),
      );
      expect(unexpected).toEqual([]);
      const counts = await statusCounts(eventId);
      expect(counts.pending).toBeUndefined();
      expect((counts.confirmed ?? 0) + (counts.cancelled ?? 0) + (counts.expired ?? 0)).toBe(50);
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(counts.confirmed ?? 0);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
      const paidButNotConfirmed = await testApp.sql(
        "SELECT id FROM bookings WHERE event_id = ? AND paid_at IS NOT NULL AND status NOT IN ('confirmed', 'cancelled')",
        [eventId],
      );
      expect(paidButNotConfirmed).toEqual([]);
    });
  });

  describe('one choice on the pay page posted 20 times at once', () => {
    it('confirms once, mails once, and answers every submission with the same page', async () => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 10 }] });
      const booking = await buyWithForm(testApp, eventId, { quantities: [2] });
      const browser: Browser = booking.browser;
      const csrf = await browser.csrfToken();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          browser.post(`/booking/${booking.reference}/pay`, {
            _csrf: csrf,
            secret: booking.secret,
            method: 'on_site',
          }),
        ),
      );
      expect(new Set(answers.map((res) => `${res.status} ${res.headers.location}`))).toEqual(
        new Set([`303 /purchase/success?ref=${booking.reference}&secret=${booking.secret}`]),
      );
      expect(await statusCounts(eventId)).toEqual({ confirmed: 1 });
      expect(await mailsOfKind(eventId, 'booking.confirmed')).toBe(1);
    });
  });
});
