import request from 'supertest';
import { BookingService } from '../../src/bookings/booking.service';
import { eventually } from '../support/eventually';
import {
  createApiToken,
  hiddenField,
  insertEvent,
  register,
  soldMatchesBookedItems,
  TestApp,
  ticketTypesOf,
  timestampParam,
  writeSql,
} from '../support/test-app';
import { AppPair, startAppPair } from '../support/app-pair';

const PAY_PAGE = /^\/booking\/[0-9A-Z]{10}\/pay\?secret=/;

/*
 * Two app processes on one PostgreSQL database, each sweeping lapsed holds on its own every few
 * seconds, while buyers come to both: every hold expires exactly once and every freed ticket is
 * held again exactly once.
 */
describe('hold expiry across two app processes (PostgreSQL)', () => {
  let pair: AppPair;
  let apps: TestApp[];

  beforeAll(async () => {
    pair = await startAppPair();
    ({ apps } = pair);
    const admin = apps[0].browser();
    await register(admin);
    await request(apps[0].app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${await createApiToken(admin)}`)
      .send({ bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
      .expect(200);
  }, 60_000);
  afterAll(() => pair.close());

  /** A buyer of one ticket through the buy form of process `i % 2`: where it was sent. */
  async function buy(i: number, eventId: number, ticketTypeId: number): Promise<string> {
    const app = apps[i % 2];
    const browser = app.browser();
    const page = await browser.get(`/buy-tickets/${eventId}`);
    // Everything held: the buy page offers nothing to buy.
    if (!page.text.includes('name="_csrf"')) return 'sold out';
    const res = await browser.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(page.text, '_csrf'),
      idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
      attendeeName: `Buyer ${i}`,
      attendeeEmail: `buyer${i}@example.com`,
      [`quantities[${ticketTypeId}]`]: '1',
    });
    if (res.status >= 500) throw new Error(`purchase answered ${res.status}`);
    return String(res.headers.location);
  }

  it('expires 100 lapsed holds exactly once while 300 buyers arrive, and holds each freed ticket once', async () => {
    const {
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(apps[0], { ticketTypes: [{ capacity: 100 }] });
    const service = apps[0].app.get(BookingService);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        service.book(
          eventId,
          {
            attendeeName: `Holder ${i}`,
            attendeeEmail: `holder${i}@example.com`,
            lines: [{ ticketTypeId, quantity: 1 }],
          },
          { hold: 'until_chosen' },
        ),
      ),
    );
    await writeSql(apps[0], 'UPDATE bookings SET expires_at = ? WHERE event_id = ?', [
      timestampParam(apps[0], new Date(Date.now() - 1000)),
      eventId,
    ]);

    // Buyers keep coming while both processes' sweeps (every 5 s) free the lapsed tickets.
    const answers: string[] = [];
    for (let wave = 0; wave < 15; wave++) {
      const arrivals = Array.from({ length: 20 }, (_, i) =>
        buy(wave * 20 + i, eventId, ticketTypeId),
      );
      answers.push(...(await Promise.all(arrivals)));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const counts = async () =>
      Object.fromEntries(
        (
          await apps[0].sql<{ status: string; count: string }[]>(
            'SELECT status, COUNT(*) AS count FROM bookings WHERE event_id = ? GROUP BY status',
            [eventId],
          )
        ).map((row) => [row.status, Number(row.count)]),
      );
    await eventually(
      async () => (await counts()).expired === 100,
      'the sweeps to expire the holds',
    );
    // Whoever comes now finds what the expiry freed and the early buyers did not take.
    for (
      let i = 300;
      answers.filter((answer) => PAY_PAGE.test(answer)).length < 100 && i < 500;
      i++
    ) {
      answers.push(await buy(i, eventId, ticketTypeId));
    }

    expect(answers.filter((answer) => PAY_PAGE.test(answer))).toHaveLength(100);
    expect(await counts()).toEqual({ expired: 100, pending: 100 });
    expect((await ticketTypesOf(apps[0], eventId))[0].sold).toBe(100);
    expect(await soldMatchesBookedItems(apps[0])).toBe(true);
    const [{ count }] = await apps[0].sql<{ count: string }[]>(
      "SELECT COUNT(*) AS count FROM outbox WHERE event_id = ? AND kind = 'booking.expired'",
      [eventId],
    );
    expect(Number(count)).toBe(100);
  });
});
