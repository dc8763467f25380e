import { EntityManager } from 'typeorm';
import { lockRow } from '../database/locks';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';

/** What a booking holds of one ticket type. */
export interface HeldLine {
  ticketTypeId: number;
  quantity: number;
}

/**
 * Every ticket sale and return goes through here, so that `sold` is always the items of the
 * pending and confirmed bookings. Lines are taken in ticket type id order, and the event's row
 * is locked shared first (an edit waits), so two transactions lock the same rows in the same
 * order and cannot deadlock each other.
 */
const inLockOrder = (lines: HeldLine[]) =>
  [...lines].sort((a, b) => a.ticketTypeId - b.ticketTypeId);

/**
 * Takes every line or none: each is a conditional UPDATE, the availability check and the row
 * lock in one statement. On PostgreSQL at READ COMMITTED it waits for any other transaction
 * holding the row, then re-evaluates `sold + q <= capacity` against the committed row (no
 * read-then-write gap, so no SELECT … FOR UPDATE). False when one line no longer fits: the
 * caller rolls its transaction back.
 */
export async function takeTickets(
  manager: EntityManager,
  eventId: number,
  lines: HeldLine[],
): Promise<boolean> {
  await lockRow(manager, Event, eventId, 'shared');
  return takeTicketsUnderEventLock(manager, eventId, lines);
}

/** As takeTickets, for a caller already holding the event's shared lock (a booking, which read the event under it). */
export async function takeTicketsUnderEventLock(
  manager: EntityManager,
  eventId: number,
  lines: HeldLine[],
): Promise<boolean> {
  for (const line of inLockOrder(lines)) {
    const result = await manager
      .createQueryBuilder()
      .update(TicketType)
      .set({ sold: () => 'sold + :quantity' })
      .where('id = :id AND event_id = :eventId AND sold + :quantity <= capacity')
      .setParameters({ id: line.ticketTypeId, eventId, quantity: line.quantity })
      .execute();
    if (!result.affected) return false;
  }
  return true;
}

/**
 * Puts a booking's tickets back on sale. Call it only in the transaction whose conditional
 * UPDATE moved the booking out of `pending` or `confirmed`: that is what makes it happen once.
 */
export async function returnTickets(
  manager: EntityManager,
  eventId: number,
  lines: HeldLine[],
): Promise<void> {
  await lockRow(manager, Event, eventId, 'shared');
  for (const line of inLockOrder(lines)) {
    await manager
      .createQueryBuilder()
      .update(TicketType)
      .set({ sold: () => 'sold - :quantity' })
      .where('id = :id')
      .setParameters({ id: line.ticketTypeId, quantity: line.quantity })
      .execute();
  }
}
