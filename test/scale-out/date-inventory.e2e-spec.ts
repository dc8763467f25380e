import request from 'supertest';
import { SalesClosedError, SoldOutError } from '../../src/bookings/booking.errors';
import { BookingService } from '../../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';
import { InvalidFieldError } from '../../src/common/forms/invalid-field.error';
import {
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  TestApp,
} from '../support/test-app';
import { AppPair, startAppPair } from '../support/app-pair';

/*
 * Dates across two app processes on one PostgreSQL database: each date's tickets are sold by its
 * own conditional UPDATE whichever process takes the order, and a date cancelled on one process
 * while the other sells it ends every booking it had and takes none after.
 */
describe('dates across two app processes (PostgreSQL)', () => {
  let pair: AppPair;
  let apps: TestApp[];
  let token: string;

  beforeAll(async () => {
    pair = await startAppPair();
    ({ apps } = pair);
    const admin = apps[0].browser();
    await register(admin);
    token = await createApiToken(admin);
  }, 60_000);
  afterAll(() => pair.close());

  /** A type of `capacity` on the event's date and `more` dates added; answers every date id. */
  async function event(capacity: number, more: number) {
    const { eventId, ticketTypeIds } = await insertEvent(apps[0], {
      ticketTypes: [{ capacity }],
    });
    for (let n = 1; n <= more; n++) {
      await request(apps[n % 2].app.getHttpServer())
        .post(`/api/v1/events/${eventId}/dates`)
        .set('Authorization', `Bearer ${token}`)
        .send({ startsAt: new Date(Date.now() + (30 + n) * 86_400_000).toISOString() })
        .expect(201);
    }
    const dates = await apps[0].sql<{ id: number }[]>(
      'SELECT id FROM event_dates WHERE event_id = ? ORDER BY starts_at',
      [eventId],
    );
    return { eventId, ticketTypeId: ticketTypeIds[0], dateIds: dates.map((row) => Number(row.id)) };
  }

  const buy = (app: TestApp, eventId: number, ticketTypeId: number, dateId: number, n: number) =>
    app.app
      .get(BookingService)
      .book(
        eventId,
        {
          attendeeName: `Buyer ${n}`,
          attendeeEmail: `buyer${n}@example.com`,
          dateId,
          lines: [{ ticketTypeId, quantity: 1 }],
        },
        PAY_AT_THE_DOOR,
      )
      .then(
        () => 'booked' as const,
        (error: unknown) => error,
      );

  it('sells exactly 20 on each of 3 dates to 1000 buyers spread over both processes, 200 at a time', async () => {
    const { eventId, ticketTypeId, dateIds } = await event(20, 2);
    // In waves of 200 at once (100 a process): service calls have no HTTP queue in front of
    // them, and a thousand at once would wait longer for a pooled connection than it allows.
    const outcomes: unknown[] = [];
    for (let wave = 0; wave < 1000; wave += 200) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            buy(apps[i % 2], eventId, ticketTypeId, dateIds[(wave + i) % 3], wave + i),
          ),
        )),
      );
    }
    expect(outcomes.filter((outcome) => outcome === 'booked')).toHaveLength(60);
    expect(
      outcomes.filter((outcome) => outcome !== 'booked' && !(outcome instanceof SoldOutError)),
    ).toEqual([]);
    const stock = await apps[1].sql<{ date_id: number; sold: number }[]>(
      'SELECT date_id, sold FROM date_inventory WHERE ticket_type_id = ? ORDER BY date_id',
      [ticketTypeId],
    );
    expect(stock.map((row) => Number(row.sold))).toEqual([20, 20, 20]);
    expect(await soldMatchesBookedItems(apps[0])).toBe(true);
  });

  it('leaves no booking open on a date cancelled on one process while the other sells it', async () => {
    const { eventId, ticketTypeId, dateIds } = await event(100, 1);
    const [cancelled, other] = dateIds;
    const buying = Array.from({ length: 300 }, (_, n) =>
      buy(apps[1], eventId, ticketTypeId, n % 3 === 0 ? other : cancelled, n),
    );
    const presses = [0, 1].map((n) =>
      request(apps[n].app.getHttpServer())
        .post(`/api/v1/events/${eventId}/dates/${cancelled}/cancel`)
        .set('Authorization', `Bearer ${token}`),
    );
    const outcomes = await Promise.all(buying);
    expect((await Promise.all(presses)).map((answer) => answer.status)).toEqual([200, 200]);
    for (const outcome of outcomes) {
      if (outcome === 'booked') continue;
      expect(
        outcome instanceof SoldOutError ||
          outcome instanceof SalesClosedError ||
          outcome instanceof InvalidFieldError,
      ).toBe(true);
    }
    const open = await apps[0].sql<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM bookings WHERE date_id = ? AND status IN ('pending', 'confirmed')",
      [cancelled],
    );
    expect(Number(open[0].n)).toBe(0);
    const [{ n: kept }] = await apps[0].sql<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM bookings WHERE date_id = ? AND status = 'confirmed'",
      [other],
    );
    expect(Number(kept)).toBe(100);
    const [{ n: all }] = await apps[0].sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
      [eventId],
    );
    expect(Number(all)).toBe(outcomes.filter((outcome) => outcome === 'booked').length);
    expect(await soldMatchesBookedItems(apps[0])).toBe(true);
  });
});
