import type { TestServices } from './test-app';

/**
 * PRODUCT.md "Reserved seating"'s invariant on one event: no seat is on two live tickets, and the
 * seats taken are exactly those of the pending and confirmed bookings' tickets, each taken by its
 * own booking. Answers what breaks it (empty lists when it holds).
 */
export async function seatsAgreeWithBookings(testApp: TestServices, eventId: number) {
  const live = await testApp.sql<{ seat_id: number; booking_id: number }[]>(
    `SELECT tickets.seat_id, tickets.booking_id FROM tickets
     JOIN bookings ON bookings.id = tickets.booking_id
     WHERE bookings.event_id = ? AND bookings.status IN ('pending', 'confirmed')
       AND tickets.seat_id IS NOT NULL`,
    [eventId],
  );
  const taken = await testApp.sql<{ seat_id: number; booking_id: number }[]>(
    `SELECT date_seats.seat_id, date_seats.booking_id FROM date_seats
     JOIN seats ON seats.id = date_seats.seat_id
     WHERE seats.event_id = ? AND date_seats.status = 'taken'`,
    [eventId],
  );
  const pairs = (rows: { seat_id: number; booking_id: number }[]) =>
    rows.map((row) => `${Number(row.seat_id)}:${Number(row.booking_id)}`).sort();
  const seen = new Set<number>();
  const soldTwice = live
    .map((row) => Number(row.seat_id))
    .filter((seat) => seen.has(seat) || !seen.add(seat));
  const ticketsWithoutTakenSeat = pairs(live).filter((pair) => !pairs(taken).includes(pair));
  const takenWithoutTicket = pairs(taken).filter((pair) => !pairs(live).includes(pair));
  return { soldTwice, ticketsWithoutTakenSeat, takenWithoutTicket };
}

/** The seats of each live booking of the event, with their row and place along it. */
export async function seatsByBooking(testApp: TestServices, eventId: number) {
  const rows = await testApp.sql<
    {
      booking_id: number;
      seat_id: number;
      section_id: number;
      row_index: number;
      seat_index: number;
    }[]
  >(
    `SELECT tickets.booking_id, seats.id AS seat_id, seats.section_id, seats.row_index, seats.seat_index
     FROM tickets JOIN bookings ON bookings.id = tickets.booking_id
     JOIN seats ON seats.id = tickets.seat_id
     WHERE bookings.event_id = ? AND bookings.status IN ('pending', 'confirmed')
     ORDER BY tickets.booking_id, seats.section_id, seats.row_index, seats.seat_index`,
    [eventId],
  );
  const bookings = new Map<number, { seat: number; row: string; index: number }[]>();
  for (const row of rows) {
    const seats = bookings.get(Number(row.booking_id)) ?? [];
    seats.push({
      seat: Number(row.seat_id),
      row: `${Number(row.section_id)}:${Number(row.row_index)}`,
      index: Number(row.seat_index),
    });
    bookings.set(Number(row.booking_id), seats);
  }
  return bookings;
}

/** Seats side by side: one row, consecutive places. */
export const sideBySide = (seats: { row: string; index: number }[]) =>
  seats.every((seat, n) => seat.row === seats[0].row && seat.index === seats[0].index + n);
