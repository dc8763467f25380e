import { EntityManager } from 'typeorm';
import { groupBy } from '../common/group-by';
import { Seat } from './entities/seat.entity';

/** What a buyer asks for instead of picking: `quantity` seats of a ticket type, side by side. */
export interface BestAvailableRequest {
  ticketTypeId: number;
  quantity: number;
}

interface FreeSeat {
  id: number;
  sectionId: number;
  rowIndex: number;
  seatIndex: number;
  x: number;
  y: number;
}

/**
 * The best `quantity` free seats of the ticket type on the date that sit together: side by side in
 * one row (consecutive along it, none between them taken or of another type), in the row nearest
 * the stage, and of the blocks there the one nearest the row's middle. Undefined when no row has
 * that many together. A read: the caller takes them (takeSeats), and asks again if one went.
 */
export async function bestAvailableSeats(
  manager: EntityManager,
  { eventId, dateId }: { eventId: number; dateId: number },
  { ticketTypeId, quantity }: BestAvailableRequest,
): Promise<number[] | undefined> {
  const free = await manager
    .createQueryBuilder(Seat, 'seat')
    .innerJoin('date_seats', 'state', 'state.seat_id = seat.id AND state.date_id = :dateId', {
      dateId,
    })
    .select([
      'seat.id AS id',
      'seat.section_id AS "sectionId"',
      'seat.row_index AS "rowIndex"',
      'seat.seat_index AS "seatIndex"',
      'seat.x AS x',
      'seat.y AS y',
    ])
    .where('seat.event_id = :eventId AND seat.ticket_type_id = :ticketTypeId', {
      eventId,
      ticketTypeId,
    })
    .andWhere("state.status = 'free'")
    .orderBy('seat.section_id')
    .addOrderBy('seat.row_index')
    .addOrderBy('seat.seat_index')
    .getRawMany<FreeSeat>()
    .then((rows) => rows.map(numbers));
  if (free.length < quantity) return undefined;
  const middles = await rowMiddles(manager, eventId);
  let best: { seats: FreeSeat[]; distance: number; offCentre: number } | undefined;
  for (const [key, row] of groupBy(free, rowKey)) {
    const middle = middles.get(key)!;
    for (const block of blocksOf(row, quantity)) {
      const distance = Math.min(...block.map((seat) => seat.y));
      const offCentre = Math.abs((block[0].x + block[block.length - 1].x) / 2 - middle);
      if (
        !best ||
        distance < best.distance ||
        (distance === best.distance && offCentre < best.offCentre)
      ) {
        best = { seats: block, distance, offCentre };
      }
    }
  }
  return best?.seats.map((seat) => seat.id);
}

const rowKey = (seat: { sectionId: number; rowIndex: number }) =>
  `${Number(seat.sectionId)}:${Number(seat.rowIndex)}`;

/** The middle of each row of the event's map, across all its seats. */
async function rowMiddles(manager: EntityManager, eventId: number): Promise<Map<string, number>> {
  const rows = await manager
    .createQueryBuilder(Seat, 'seat')
    .select(['seat.section_id AS "sectionId"', 'seat.row_index AS "rowIndex"'])
    .addSelect('(MIN(seat.x) + MAX(seat.x)) / 2.0', 'middle')
    .where('seat.event_id = :eventId', { eventId })
    .groupBy('seat.section_id')
    .addGroupBy('seat.row_index')
    .getRawMany<{ sectionId: number; rowIndex: number; middle: number | string }>();
  return new Map(rows.map((row) => [rowKey(row), Number(row.middle)]));
}

/** Every run of `size` seats of the row with consecutive places along it. */
function* blocksOf(row: FreeSeat[], size: number): Generator<FreeSeat[]> {
  for (let start = 0; start + size <= row.length; start++) {
    const block = row.slice(start, start + size);
    if (block[size - 1].seatIndex - block[0].seatIndex === size - 1) yield block;
  }
}

const numbers = (seat: FreeSeat): FreeSeat => ({
  id: Number(seat.id),
  sectionId: Number(seat.sectionId),
  rowIndex: Number(seat.rowIndex),
  seatIndex: Number(seat.seatIndex),
  x: Number(seat.x),
  y: Number(seat.y),
});
