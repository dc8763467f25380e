import { EntityManager } from 'typeorm';
import { DateInventory } from './entities/date-inventory.entity';
import { EventDate } from './entities/event-date.entity';
import { TicketType } from './entities/ticket-type.entity';

/** One ticket type on one date: where tickets are sold, held and waited for. */
export interface StockKey {
  dateId: number;
  ticketTypeId: number;
}

/** How the counts move: each by its delta (omitted: unchanged). */
export interface StockChange {
  sold?: number;
  reserved?: number;
  waiting?: number;
}

/** One move of a date's counts, taken only if `onlyIf` holds (see moveStocks). */
export interface StockMove {
  key: StockKey;
  change: StockChange;
  onlyIf?: string;
  parameters?: Record<string, unknown>;
}

/**
 * Moves one date's counts of a ticket type, and the type's sums with them, by conditional
 * UPDATE: `onlyIf` (over the date's row: sold, reserved, waiting, capacity; with `parameters`)
 * is checked against the committed row in the same statement, and the database's CHECK keeps
 * `sold + reserved <= capacity` for the date whatever the caller asks. False, and nothing
 * moved, when the condition does not hold.
 */
export function moveStock(
  manager: EntityManager,
  key: StockKey,
  change: StockChange,
  onlyIf?: string,
  parameters: Record<string, unknown> = {},
): Promise<boolean> {
  return moveStocks(manager, [{ key, change, onlyIf, parameters }]);
}

/**
 * Makes every move or answers false at the first whose condition fails; what the moves before it
 * changed then stands until the caller rolls back (as every caller does: a refusal ends its
 * transaction). The dates' rows are moved first, in (type, date) order, and only then the types'
 * sums, in type order: every transaction locks rows in that one order, so none waits for another
 * in a cycle, and the move refused (sold out) takes no lock (a type's sum is locked only once
 * some of its dates' tickets have moved).
 */
export async function moveStocks(manager: EntityManager, moves: StockMove[]): Promise<boolean> {
  const ordered = [...moves].sort(
    (a, b) => a.key.ticketTypeId - b.key.ticketTypeId || a.key.dateId - b.key.dateId,
  );
  const sums = new Map<number, Required<StockChange>>();
  for (const move of ordered) {
    if (!(await moveDate(manager, move))) return false;
    const sum = sums.get(move.key.ticketTypeId) ?? { sold: 0, reserved: 0, waiting: 0 };
    sum.sold += move.change.sold ?? 0;
    sum.reserved += move.change.reserved ?? 0;
    sum.waiting += move.change.waiting ?? 0;
    sums.set(move.key.ticketTypeId, sum);
  }
  for (const [ticketTypeId, sum] of sums) {
    await manager
      .createQueryBuilder()
      .update(TicketType)
      .set(movedBy())
      .where('id = :ticketTypeId')
      .setParameters({ ticketTypeId, ...sum })
      .execute();
  }
  return true;
}

async function moveDate(manager: EntityManager, move: StockMove): Promise<boolean> {
  const { key, change } = move;
  const moved = await manager
    .createQueryBuilder()
    .update(DateInventory)
    .set(movedBy())
    .where('date_id = :dateId AND ticket_type_id = :ticketTypeId')
    .andWhere(move.onlyIf ? `(${move.onlyIf})` : '1 = 1')
    .setParameters({
      ...move.parameters,
      dateId: key.dateId,
      ticketTypeId: key.ticketTypeId,
      sold: change.sold ?? 0,
      reserved: change.reserved ?? 0,
      waiting: change.waiting ?? 0,
    })
    .execute();
  return Boolean(moved.affected);
}

const movedBy = () => ({
  sold: () => 'sold + :sold',
  reserved: () => 'reserved + :reserved',
  waiting: () => 'waiting + :waiting',
});

/** Every date of the event gets the ticket types' inventory it lacks (a new date, or new types). */
export async function stockEveryDate(manager: EntityManager, eventId: number): Promise<void> {
  const [dates, types, stocked] = await Promise.all([
    manager.find(EventDate, { select: { id: true }, where: { eventId } }),
    manager.find(TicketType, { select: { id: true, capacity: true }, where: { eventId } }),
    manager
      .createQueryBuilder(DateInventory, 'stock')
      .innerJoin('stock.date', 'date')
      .select(['stock.dateId', 'stock.ticketTypeId'])
      .where('date.event_id = :eventId', { eventId })
      .getMany(),
  ]);
  const has = new Set(stocked.map((stock) => `${stock.dateId}:${stock.ticketTypeId}`));
  const missing = dates.flatMap((date) =>
    types
      .filter((type) => !has.has(`${date.id}:${type.id}`))
      .map((type) => ({ dateId: date.id, ticketTypeId: type.id, capacity: type.capacity })),
  );
  // A few hundred rows a statement keeps within SQLite's limit on bound parameters.
  for (let start = 0; start < missing.length; start += 300)
    await manager.insert(DateInventory, missing.slice(start, start + 300));
}
