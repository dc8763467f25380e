import { EntityManager, In } from 'typeorm';
import { groupBy } from '../common/group-by';
import { Booking } from './entities/booking.entity';
import { Ticket } from './entities/ticket.entity';
import type { OrderLine } from './order-input';
import type { SeatsByType } from './seated-order';
import { newTicketCode } from './ticket-code';

/**
 * One ticket per unit of each line, each with its own code, the name given for it and its seat
 * on a seated type; a few hundred rows a statement.
 */
export async function insertTickets(
  manager: EntityManager,
  bookingId: number,
  lines: OrderLine[],
  seats: SeatsByType,
): Promise<void> {
  const tickets = lines.flatMap((line) =>
    Array.from({ length: line.quantity }, (_, n) => ({
      bookingId,
      ticketTypeId: line.ticketTypeId,
      code: newTicketCode(),
      attendeeName: line.attendeeNames?.[n] ?? null,
      seatId: seats.get(line.ticketTypeId)?.[n] ?? null,
      checkedInAt: null,
    })),
  );
  for (let start = 0; start < tickets.length; start += 300)
    await manager.insert(Ticket, tickets.slice(start, start + 300));
}

/** Gives each booking its tickets, in one query (a join with the items would multiply the rows). */
export async function withTickets(manager: EntityManager, bookings: Booking[]): Promise<Booking[]> {
  if (bookings.length === 0) return bookings;
  const tickets = await manager.find(Ticket, {
    where: { bookingId: In(bookings.map((booking) => booking.id)) },
    relations: { seat: { section: true } },
    order: { id: 'ASC' },
  });
  const ticketsOf = groupBy(tickets, (ticket) => ticket.bookingId);
  for (const booking of bookings) booking.tickets = ticketsOf.get(booking.id) ?? [];
  return bookings;
}
