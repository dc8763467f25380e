import { EntityManager } from 'typeorm';
import { isPostgres } from '../database/locks';
import { EventDate } from '../events/entities/event-date.entity';

/**
 * Makes this transaction the only one changing a date's waiting lists (joining, pruning,
 * offering) until it ends; taken before any ticket type's row, as every stock move comes after.
 * FOR NO KEY UPDATE, so bookings for the date (whose rows point at it: FOR KEY SHARE) never
 * wait for it. SQLite needs none: its write transactions run one at a time.
 */
export async function lockQueue(manager: EntityManager, dateId: number): Promise<void> {
  if (!isPostgres(manager)) return;
  await manager
    .createQueryBuilder(EventDate, 'date')
    .select('date.id')
    .where('date.id = :dateId', { dateId })
    .setLock('for_no_key_update')
    .getRawOne();
}
