import { Brackets, EntityManager } from 'typeorm';
import { groupBy } from '../common/group-by';
import { Seat } from './entities/seat.entity';

/** What a buyer asks for instead of picking: `quantity` seats of a ticket type, side by side. */
export interface BestAvailableRequest {
  ticketTypeId: number;
  quantity: number;
}

/** A row with at least the seats asked for free, and how near the stage its nearest free one is. */
interface RowWithRoom {
  sectionId: number;
  rowIndex: number;
  nearest: number;
}

interface RowSeat {
  id: number;
  sectionId: number;
  rowIndex: number;
  seatIndex: number;
  ticketTypeId: number;
  status: string;
  x: number;
  y: number;
}

interface Block {
  seats: RowSeat[];
  distance: number;
  offCentre: number;
}

/** Rows read at a time, nearest the stage first: the best block is nearly always in the first. */
const ROWS_AT_A_TIME = 4;

/**
 * The best `quantity` free seats of the ticket type on the date that sit together: side by side in
 * one row (consecutive along it, none between them taken or of another type), in the row nearest
 * the stage, and of the blocks there the one nearest the row's middle. Undefined when no row has
 * that many together. A read: the caller takes them (takeSeats), and asks again if one went.
 *
 * Only rows with room are read, nearest the stage first, until no row left can beat the best
 * block found (a block is never nearer the stage than its row's nearest free seat).
 */
export async function bestAvailableSeats(
  manager: EntityManager,
  date: { eventId: number; dateId: number },
  request: BestAvailableRequest,
): Promise<number[] | undefined> {
  const rows = await rowsWithRoom(manager, date, request);
  let best: Block | undefined;
  for (let start = 0; start < rows.length; start += ROWS_AT_A_TIME) {
    const batch = rows.slice(start, start + ROWS_AT_A_TIME);
    if (best && batch[0].nearest > best.distance) break;
    for (const row of (await seatsOfRows(manager, date, batch)).values()) {
      for (const block of blocksOf(row, request)) if (!best || better(block, best)) best = block;
    }
  }
  return best?.seats.map((seat) => seat.id);
}

/** Nearer the stage, then nearer the row's middle, then first along the map: one order, always. */
function better(block: Block, than: Block): boolean {
  if (block.distance !== than.distance) return block.distance < than.distance;
  if (block.offCentre !== than.offCentre) return block.offCentre < than.offCentre;
  const [a, b] = [block.seats[0], than.seats[0]];
  return (a.sectionId - b.sectionId || a.rowIndex - b.rowIndex || a.seatIndex - b.seatIndex) < 0;
}

async function rowsWithRoom(
  manager: EntityManager,
  { eventId, dateId }: { eventId: number; dateId: number },
  { ticketTypeId, quantity }: BestAvailableRequest,
): Promise<RowWithRoom[]> {
  const rows = await manager
    .createQueryBuilder(Seat, 'seat')
    .innerJoin('date_seats', 'state', 'state.seat_id = seat.id AND state.date_id = :dateId', {
      dateId,
    })
    .select(['seat.section_id AS "sectionId"', 'seat.row_index AS "rowIndex"'])
    .addSelect('MIN(seat.y)', 'nearest')
    .where('seat.event_id = :eventId AND seat.ticket_type_id = :ticketTypeId', {
      eventId,
      ticketTypeId,
    })
    .andWhere("state.status = 'free'")
    .groupBy('seat.section_id')
    .addGroupBy('seat.row_index')
    .having('COUNT(*) >= :quantity', { quantity })
    .getRawMany<RowWithRoom>();
  return rows
    .map((row) => ({
      sectionId: Number(row.sectionId),
      rowIndex: Number(row.rowIndex),
      nearest: Number(row.nearest),
    }))
    .sort((a, b) => a.nearest - b.nearest || a.sectionId - b.sectionId || a.rowIndex - b.rowIndex);
}

/** Every seat of these rows (the middle of a row is its whole width's), each with its state. */
async function seatsOfRows(
  manager: EntityManager,
  { eventId, dateId }: { eventId: number; dateId: number },
  rows: RowWithRoom[],
): Promise<Map<string, RowSeat[]>> {
  const seats = await manager
    .createQueryBuilder(Seat, 'seat')
    .innerJoin('date_seats', 'state', 'state.seat_id = seat.id AND state.date_id = :dateId', {
      dateId,
    })
    .select([
      'seat.id AS id',
      'seat.section_id AS "sectionId"',
      'seat.row_index AS "rowIndex"',
      'seat.seat_index AS "seatIndex"',
      'seat.ticket_type_id AS "ticketTypeId"',
      'state.status AS status',
      'seat.x AS x',
      'seat.y AS y',
    ])
    .where('seat.event_id = :eventId', { eventId })
    .andWhere(
      new Brackets((either) => {
        rows.forEach((row, n) =>
          either.orWhere(`seat.section_id = :section${n} AND seat.row_index = :row${n}`, {
            [`section${n}`]: row.sectionId,
            [`row${n}`]: row.rowIndex,
          }),
        );
      }),
    )
    .orderBy('seat.section_id')
    .addOrderBy('seat.row_index')
    .addOrderBy('seat.seat_index')
    .getRawMany<RowSeat>();
  return groupBy(seats.map(numbers), (seat) => `${seat.sectionId}:${seat.rowIndex}`);
}

/** Every run of the seats asked for, free and of the type, with consecutive places along the row. */
function* blocksOf(row: RowSeat[], { ticketTypeId, quantity }: BestAvailableRequest) {
  const middle =
    (Math.min(...row.map((seat) => seat.x)) + Math.max(...row.map((seat) => seat.x))) / 2;
  const free = row.filter((seat) => seat.status === 'free' && seat.ticketTypeId === ticketTypeId);
  for (let start = 0; start + quantity <= free.length; start++) {
    const seats = free.slice(start, start + quantity);
    if (seats[quantity - 1].seatIndex - seats[0].seatIndex !== quantity - 1) continue;
    yield {
      seats,
      distance: Math.min(...seats.map((seat) => seat.y)),
      offCentre: Math.abs((seats[0].x + seats[quantity - 1].x) / 2 - middle),
    };
  }
}

const numbers = (seat: RowSeat): RowSeat => ({
  ...seat,
  id: Number(seat.id),
  sectionId: Number(seat.sectionId),
  rowIndex: Number(seat.rowIndex),
  seatIndex: Number(seat.seatIndex),
  ticketTypeId: Number(seat.ticketTypeId),
  x: Number(seat.x),
  y: Number(seat.y),
});
