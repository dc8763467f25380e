import request from 'supertest';
import { BookingService } from '../../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';
import { SoldOutError } from '../../src/bookings/booking.errors';
import { InvalidFieldError } from '../../src/common/forms/invalid-field.error';
import { AppPair, startAppPair } from '../support/app-pair';
import { seatsAgreeWithBookings, seatsByBooking, sideBySide } from '../support/seat-checks';
import { gridSection, pickFor } from '../support/seat-maps';
import {
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  TestApp,
} from '../support/test-app';

/*
 * Seats across two app processes on one PostgreSQL database: each seat is taken by its own
 * conditional UPDATE whichever process takes the order, so it is sold at most once.
 */
describe('seats across two app processes (PostgreSQL)', () => {
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

  async function seatedEvent(rows: number, perRow: number) {
    const { eventId, ticketTypeIds } = await insertEvent(apps[0], {
      ticketTypes: [{ name: 'Seat', capacity: 1 }],
    });
    const map = await request(apps[1].app.getHttpServer())
      .put(`/api/v1/events/${eventId}/seating`)
      .set('Authorization', `Bearer ${token}`)
      .send({ sections: [gridSection('Hall', rows, perRow, ticketTypeIds[0])] })
      .expect(200);
    const seatIds = (
      map.body as { sections: { rows: { seats: { id: number }[] }[] }[] }
    ).sections[0].rows.flatMap((row) => row.seats.map((seat) => seat.id));
    return { eventId, ticketTypeId: ticketTypeIds[0], seatIds };
  }

  /** Orders sent 200 at a time (100 a process): service calls have no HTTP queue before the pool. */
  async function inWaves(count: number, order: (n: number) => Promise<unknown>) {
    const outcomes: unknown[] = [];
    for (let start = 0; start < count; start += 200) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(200, count - start) }, (_, k) => order(start + k)),
        )),
      );
    }
    return outcomes;
  }

  /** A seat went first (SeatTakenError, NoSeatsTogetherError), or too few seats are left at all. */
  const refusal = (outcome: unknown) =>
    outcome instanceof InvalidFieldError || outcome instanceof SoldOutError;

  const book = (n: number, eventId: number, seats: object) =>
    apps[n % 2].app
      .get(BookingService)
      .book(
        eventId,
        { attendeeName: `Buyer ${n}`, attendeeEmail: `buyer${n}@example.com`, lines: [], ...seats },
        PAY_AT_THE_DOOR,
      )
      .then(
        () => 'booked' as const,
        (error: unknown) => error,
      );

  it('sells each of 10 seats once to 1000 buyers over both processes, every order all or nothing', async () => {
    const { eventId, seatIds } = await seatedEvent(1, 10);
    const outcomes = await inWaves(1000, (n) => book(n, eventId, { seatIds: pickFor(n, seatIds) }));
    const unexpected = outcomes.filter((outcome) => outcome !== 'booked' && !refusal(outcome));
    expect(unexpected).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'booked').length).toBeGreaterThan(0);
    expect(await seatsAgreeWithBookings(apps[0], eventId)).toEqual({
      soldTwice: [],
      ticketsWithoutTakenSeat: [],
      takenWithoutTicket: [],
    });
    const buyers = await apps[0].sql<{ id: number; attendee_name: string }[]>(
      "SELECT id, attendee_name FROM bookings WHERE event_id = ? AND status = 'confirmed'",
      [eventId],
    );
    const byBooking = await seatsByBooking(apps[0], eventId);
    for (const { id, attendee_name } of buyers) {
      const picked = new Set(pickFor(Number(attendee_name.replace('Buyer ', '')), seatIds));
      expect(new Set(byBooking.get(Number(id))!.map((seat) => seat.seat))).toEqual(picked);
    }
    expect(await soldMatchesBookedItems(apps[0])).toBe(true);
  }, 120_000);

  it('gives 200 requests for the best 4 together over both processes only whole, separate blocks', async () => {
    const { eventId, ticketTypeId } = await seatedEvent(8, 12);
    const outcomes = await inWaves(200, (n) =>
      book(n, eventId, { bestAvailable: [{ ticketTypeId, quantity: 4 }] }),
    );
    expect(outcomes.filter((outcome) => outcome !== 'booked' && !refusal(outcome))).toEqual([]);
    const byBooking = await seatsByBooking(apps[0], eventId);
    expect(byBooking.size).toBe(outcomes.filter((outcome) => outcome === 'booked').length);
    expect(byBooking.size).toBeGreaterThanOrEqual(16);
    for (const seats of byBooking.values()) {
      expect(seats).toHaveLength(4);
      expect(sideBySide(seats)).toBe(true);
    }
    expect((await seatsAgreeWithBookings(apps[0], eventId)).soldTwice).toEqual([]);
  }, 120_000);
});
