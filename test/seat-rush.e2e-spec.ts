import request from 'supertest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crowdAtTheForm, purchaseAtOnce } from './support/crowd';
import { seatsAgreeWithBookings, seatsByBooking, sideBySide } from './support/seat-checks';
import { gridSection, pickFor } from './support/seat-maps';
import {
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * PRODUCT.md "Reserved seating": a seat is sold at most once. Buyers each from their own address,
 * with the abuse limits on, rush the buy form: 1000 of them for the same 10 seats (each picking
 * one to three, some overlapping), and 200 asking for the best 4 seats together.
 */
describe('a rush for seats', () => {
  let testApp: TestApp;
  let url: string;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp({ PURCHASES_PER_IP_PER_MINUTE: '20' });
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  async function seatedEvent(rows: number, perRow: number) {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ name: 'Seat', capacity: 1, priceCents: 2500 }],
    });
    const map = await request(testApp.app.getHttpServer())
      .put(`/api/v1/events/${eventId}/seating`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ sections: [gridSection('Hall', rows, perRow, ticketTypeIds[0])] })
      .expect(200);
    const seatIds = (
      map.body as { sections: { rows: { seats: { id: number }[] }[] }[] }
    ).sections[0].rows.flatMap((row) => row.seats.map((seat) => seat.id));
    return { eventId, ticketTypeId: ticketTypeIds[0], seatIds };
  }

  it('sells each of 10 seats once to 1000 buyers picking 1–3 of them, every order all or nothing', async () => {
    const { eventId, seatIds } = await seatedEvent(1, 10);
    const buyers = await crowdAtTheForm(url, `/buy-tickets/${eventId}`, 1000, 61);
    const answers = await purchaseAtOnce(url, eventId, buyers, (n) => ({
      attendeeName: `Buyer ${n}`,
      attendeeEmail: `buyer${n}@example.com`,
      ...Object.fromEntries(pickFor(n, seatIds).map((id, k) => [`seats[${k}]`, String(id)])),
    }));
    expect(answers.filter((answer) => answer.error || (answer.status ?? 0) >= 500)).toEqual([]);
    const booked = answers.filter((answer) => answer.location?.startsWith('/purchase/success'));
    // A seat picked went first (the form again, saying so), or too few seats are left at all.
    const refused = answers.filter(
      (answer) =>
        answer.status === 422 || answer.location?.startsWith('/purchase/fail?reason=sold_out'),
    );
    expect(booked.length + refused.length).toBe(1000);
    expect(booked.length).toBeGreaterThan(0);
    expect(await seatsAgreeWithBookings(testApp, eventId)).toEqual({
      soldTwice: [],
      ticketsWithoutTakenSeat: [],
      takenWithoutTicket: [],
    });
    // All or nothing: each booking has exactly the seats its buyer picked.
    const byBooking = await seatsByBooking(testApp, eventId);
    const picksOf = new Map(
      (
        await testApp.sql<{ id: number; attendee_name: string }[]>(
          "SELECT id, attendee_name FROM bookings WHERE event_id = ? AND status IN ('pending', 'confirmed')",
          [eventId],
        )
      ).map((row) => [Number(row.id), Number(row.attendee_name.replace('Buyer ', ''))]),
    );
    expect(byBooking.size).toBe(booked.length);
    for (const [bookingId, seats] of byBooking) {
      const picked = new Set(pickFor(picksOf.get(bookingId)!, seatIds));
      expect(new Set(seats.map((seat) => seat.seat))).toEqual(picked);
    }
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  }, 180_000);

  it('gives 200 buyers asking for the best 4 together only whole blocks side by side, never overlapping', async () => {
    const { eventId, ticketTypeId } = await seatedEvent(8, 12);
    const buyers = await crowdAtTheForm(url, `/buy-tickets/${eventId}`, 200, 62);
    const answers = await purchaseAtOnce(url, eventId, buyers, (n) => ({
      attendeeName: `Group ${n}`,
      attendeeEmail: `group${n}@example.com`,
      [`bestAvailable[${ticketTypeId}]`]: '4',
    }));
    expect(answers.filter((answer) => answer.error || (answer.status ?? 0) >= 500)).toEqual([]);
    const booked = answers.filter((answer) => answer.location?.startsWith('/purchase/success'));
    expect(booked.length).toBeGreaterThanOrEqual(16);
    const refused = answers.filter(
      (answer) =>
        answer.status === 422 || answer.location?.startsWith('/purchase/fail?reason=sold_out'),
    );
    expect(refused).toHaveLength(200 - booked.length);
    const byBooking = await seatsByBooking(testApp, eventId);
    expect(byBooking.size).toBe(booked.length);
    for (const seats of byBooking.values()) {
      expect(seats).toHaveLength(4);
      expect(sideBySide(seats)).toBe(true);
    }
    expect((await seatsAgreeWithBookings(testApp, eventId)).soldTwice).toEqual([]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  }, 180_000);
});
