import { BookingService } from '../../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';
import { CheckInService } from '../../src/check-in/check-in.service';
import { insertEvent, organiserOf, TestApp } from '../support/test-app';
import { AppPair, startAppPair } from '../support/app-pair';

/*
 * Two doors on two app processes sharing one PostgreSQL database, scanning the same tickets and
 * booking references at the same moment: every ticket is let in exactly once, by one scan, and
 * every booking counts as in once its last ticket is.
 */
describe('two doors on two app processes (PostgreSQL)', () => {
  let pair: AppPair;
  let apps: TestApp[];

  beforeAll(async () => {
    pair = await startAppPair();
    ({ apps } = pair);
  }, 60_000);
  afterAll(() => pair.close());

  it('lets each of 90 tickets in once when both doors scan every code and reference at once', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(apps[0], {
      ticketTypes: [{ capacity: 100 }],
    });
    const organiser = await organiserOf(apps[0], eventId);
    const references: string[] = [];
    for (let n = 0; n < 30; n++) {
      const { reference } = await apps[n % 2].app.get(BookingService).book(
        eventId,
        {
          attendeeName: `Group ${n}`,
          attendeeEmail: `group${n}@example.com`,
          lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 3 }],
        },
        PAY_AT_THE_DOOR,
      );
      references.push(reference);
    }
    const codes = (
      await apps[0].sql<{ code: string }[]>(
        'SELECT tickets.code FROM tickets JOIN bookings ON bookings.id = tickets.booking_id WHERE bookings.event_id = ?',
        [eventId],
      )
    ).map((row) => row.code);
    // Each door scans every ticket twice and every reference once, in its own order.
    const scans = [...codes, ...codes, ...references];
    // 100 scans a door at a time: service calls have no HTTP queue in front of the pool, and
    // hundreds at once would wait longer for a pooled connection than it allows under load.
    const doors = [scans, [...scans].reverse()];
    const outcomes = [];
    for (let start = 0; start < scans.length; start += 100) {
      outcomes.push(
        ...(await Promise.all(
          apps.flatMap((app, door) =>
            doors[door]
              .slice(start, start + 100)
              .map((scanned) => app.app.get(CheckInService).checkIn(organiser, eventId, scanned)),
          ),
        )),
      );
    }
    const results = outcomes.map(({ outcome }) => outcome.result);
    expect(new Set(results)).toEqual(new Set(['checked-in', 'already-checked-in']));
    const admitted = outcomes.reduce((sum, { outcome }) => sum + (outcome.admitted ?? 0), 0);
    expect(admitted).toBe(90);
    const [row] = await apps[0].sql<{ out: number; bookingsOut: number }[]>(
      `SELECT
         (SELECT COUNT(*) FROM tickets JOIN bookings ON bookings.id = tickets.booking_id
           WHERE bookings.event_id = ? AND tickets.checked_in_at IS NULL) AS "out",
         (SELECT COUNT(*) FROM bookings WHERE event_id = ? AND checked_in_at IS NULL) AS "bookingsOut"`,
      [eventId, eventId],
    );
    expect([Number(row.out), Number(row.bookingsOut)]).toEqual([0, 0]);
    const audited = await apps[0].sql(
      "SELECT id FROM audit_log WHERE action = 'booking.checked-in' AND details LIKE ?",
      [`event ${eventId} "%`],
    );
    expect(audited).toHaveLength(results.filter((result) => result === 'checked-in').length);
  });
});
