import { HttpStatus } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { groupBy } from '../common/group-by';
import type { TicketType } from '../events/entities/ticket-type.entity';
import { bestAvailableSeats } from '../seating/best-available';
import { Seat } from '../seating/entities/seat.entity';
import { letGoOfSeats, takeSeats } from '../seating/seat-holds';
import { NoSeatsTogetherError, SeatTakenError } from './booking.errors';
import type { Sale } from './inventory';
import type { OrderInput, OrderLine } from './order-input';

/** The seats a booking took, per ticket type, in the order its tickets get them. */
export type SeatsByType = Map<number, number[]>;

/** Tries at finding seats together while others take the ones found (PostgreSQL; SQLite never needs a second). */
const BEST_AVAILABLE_TRIES = 5;

const refused = (formField: string, apiField: string, message: string, status = 400) => {
  const error = new InvalidFieldError(
    formField,
    message,
    HttpStatus.UNPROCESSABLE_ENTITY,
    apiField,
  );
  error.apiStatus = status;
  return error;
};

/**
 * The order's lines, with each seated ticket type's quantity from its seats: those picked (seats
 * of this event's map, each once, not unavailable) and those asked for together. A quantity sent
 * for a seated type must agree; one without seats is refused.
 */
export async function seatedLines(
  manager: EntityManager,
  eventId: number,
  types: TicketType[],
  order: OrderInput,
): Promise<OrderLine[]> {
  const seated = new Map(types.filter((type) => type.seated).map((type) => [type.id, type]));
  const counts = new Map<number, number>();
  const add = (ticketTypeId: number, quantity: number) =>
    counts.set(ticketTypeId, (counts.get(ticketTypeId) ?? 0) + quantity);
  for (const seat of await pickedSeats(manager, eventId, order.seatIds ?? []))
    add(seat.ticketTypeId, 1);
  for (const request of order.bestAvailable ?? []) {
    if (!seated.has(request.ticketTypeId)) {
      throw refused(
        `bestAvailable.${request.ticketTypeId}`,
        'bestAvailable.ticketTypeId',
        'Not a ticket type sold by seat at this event.',
      );
    }
    add(request.ticketTypeId, request.quantity);
  }
  const lines = order.lines.map((line, index) => {
    const type = seated.get(line.ticketTypeId);
    if (!type) return line;
    const fromSeats = counts.get(line.ticketTypeId) ?? 0;
    if (fromSeats === 0) {
      throw refused(
        'seats',
        `items.${index}.quantity`,
        `“${type.name}” is sold by seat: pick your seats on the map, or ask for the best available.`,
      );
    }
    if (line.quantity !== fromSeats) {
      throw refused(
        'quantities',
        `items.${index}.quantity`,
        `You picked ${fromSeats} “${type.name}” seats but asked for ${line.quantity} tickets.`,
      );
    }
    counts.delete(line.ticketTypeId);
    return line;
  });
  return [
    ...lines,
    ...[...counts].map(([ticketTypeId, quantity]) => ({
      ticketTypeId,
      quantity,
      attendeeNames: order.seatedNames?.[ticketTypeId],
    })),
  ];
}

/** The picked seats, each a seat of this event's map, listed once, and not unavailable. */
async function pickedSeats(
  manager: EntityManager,
  eventId: number,
  seatIds: number[],
): Promise<Seat[]> {
  if (seatIds.length === 0) return [];
  const seats = await manager.findBy(Seat, { eventId, id: In(seatIds) });
  const found = new Map(seats.map((seat) => [seat.id, seat]));
  const seen = new Set<number>();
  for (const [index, id] of seatIds.entries()) {
    if (seen.has(id)) throw refused('seats', `seatIds.${index}`, 'This seat is picked twice.');
    seen.add(id);
    const seat = found.get(id);
    if (!seat) throw refused('seats', `seatIds.${index}`, 'Not a seat of this event.');
    if (seat.unavailable)
      throw refused('seats', `seatIds.${index}`, 'This seat is not for sale.', HttpStatus.CONFLICT);
  }
  return seats;
}

/**
 * Takes the order's seats for the booking on its date, all or nothing: the picked ones (each by
 * the conditional UPDATE of takeSeats; SeatTakenError if any went first), then each request for
 * seats together, found and taken, and found again should another buyer take one of them first.
 */
export async function takeOrderSeats(
  manager: EntityManager,
  sale: Sale,
  bookingId: number,
  order: OrderInput,
): Promise<SeatsByType> {
  const picked = order.seatIds ?? [];
  if ((await takeSeats(manager, sale.dateId, bookingId, picked)) !== picked.length)
    throw new SeatTakenError();
  const taken: number[] = [...picked];
  for (const request of order.bestAvailable ?? []) {
    taken.push(...(await takeTogether(manager, sale, bookingId, request)));
  }
  if (taken.length === 0) return new Map();
  const seats = await manager.findBy(Seat, { id: In(taken) });
  const byType = groupBy(seats.sort(alongRows), (seat) => seat.ticketTypeId);
  return new Map([...byType].map(([type, ofType]) => [type, ofType.map((seat) => seat.id)]));
}

async function takeTogether(
  manager: EntityManager,
  sale: Sale,
  bookingId: number,
  request: { ticketTypeId: number; quantity: number },
): Promise<number[]> {
  for (let attempt = 0; attempt < BEST_AVAILABLE_TRIES; attempt++) {
    const seats = await bestAvailableSeats(manager, sale, request);
    if (!seats) {
      throw new NoSeatsTogetherError(
        request.ticketTypeId,
        `No ${request.quantity} seats of this kind are free together any more: pick seats on the map.`,
      );
    }
    if ((await takeSeats(manager, sale.dateId, bookingId, seats)) === seats.length) return seats;
    // Someone took one of them first: let go of the others and look again.
    await letGoOfSeats(manager, bookingId, seats);
  }
  throw new SeatTakenError();
}

const alongRows = (a: Seat, b: Seat) =>
  a.sectionId - b.sectionId || a.rowIndex - b.rowIndex || a.seatIndex - b.seatIndex;
