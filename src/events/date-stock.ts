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

/**
 * Moves one date's counts of a ticket type, and the type's sums with them, by conditional
 * UPDATE: `onlyIf` (over the date's row: sold, reserved, waiting, capacity; with `parameters`)
 * is checked against the committed row in the same statement, and the database's CHECK keeps
 * `sold + reserved <= capacity` for the date whatever the caller asks. False, and nothing moved,
 * when the condition does not hold.
 *
 * Every move locks the type's row before any date's row of it (by moving the sums first, undone
 * when the condition fails), and callers move several types in id order, so two transactions
 * lock in one order whatever dates they touch, and cannot deadlock each other.
 */
export async function moveStock(
  manager: EntityManager,
  key: StockKey,
  change: StockChange,
  onlyIf?: string,
  parameters: Record<string, unknown> = {},
): Promise<boolean> {
  const deltas = {
    sold: change.sold ?? 0,
    reserved: change.reserved ?? 0,
    waiting: change.waiting ?? 0,
  };
  // The type's row first: it is the lock every move of this type's stock, on any date, queues on.
  await moveSums(manager, key.ticketTypeId, deltas);
  const moved = await manager
    .createQueryBuilder()
    .update(DateInventory)
    .set({
      sold: () => 'sold + :sold',
      reserved: () => 'reserved + :reserved',
      waiting: () => 'waiting + :waiting',
    })
    .where('date_id = :dateId AND ticket_type_id = :ticketTypeId')
    .andWhere(onlyIf ? `(${onlyIf})` : '1 = 1')
    .setParameters({ ...parameters, ...key, ...deltas })
    .execute();
  if (moved.affected) return true;
  await moveSums(manager, key.ticketTypeId, {
    sold: -deltas.sold,
    reserved: -deltas.reserved,
    waiting: -deltas.waiting,
  });
  return false;
}

function moveSums(manager: EntityManager, ticketTypeId: number, deltas: Required<StockChange>) {
  return manager
    .createQueryBuilder()
    .update(TicketType)
    .set({
      sold: () => 'sold + :sold',
      reserved: () => 'reserved + :reserved',
      waiting: () => 'waiting + :waiting',
    })
    .where('id = :ticketTypeId')
    .setParameters({ ticketTypeId, ...deltas })
    .execute();
}

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
