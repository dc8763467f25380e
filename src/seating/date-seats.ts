import { EntityManager } from 'typeorm';
import { isPostgres } from '../database/locks';

/**
 * Gives every seat of the event a row on every date that lacks one (a new seat, a new date):
 * free, or unavailable when the seat is. One INSERT … SELECT: nothing to do costs one query.
 */
export async function seatEveryDate(manager: EntityManager, eventId: number): Promise<void> {
  const [sql, parameters] = manager.connection.driver.escapeQueryWithParameters(
    `INSERT INTO date_seats (date_id, seat_id, status)
     SELECT event_dates.id, seats.id, CASE WHEN seats.unavailable THEN 'unavailable' ELSE 'free' END
     FROM seats JOIN event_dates ON event_dates.event_id = seats.event_id
     WHERE seats.event_id = :eventId
       AND NOT EXISTS (SELECT 1 FROM date_seats existing
                       WHERE existing.date_id = event_dates.id AND existing.seat_id = seats.id)`,
    { eventId },
    {},
  );
  // In the transaction that adds the seats or dates (its query runner).
  const { affected } = await manager.queryRunner!.query(sql, parameters, true);
  // A map's seats arrive by the thousand: without this PostgreSQL's planner, not yet told of
  // them, would read a fresh map as if it held a seat (a nested loop taking a fifth of a second
  // for 2,000 seats, on every buy page and best-available search until autovacuum came by).
  if (affected && isPostgres(manager)) await manager.query('ANALYZE seats, date_seats');
}

/** Makes the seats' rows on every date follow their `unavailable` flag, except where taken. */
export async function followAvailability(manager: EntityManager, seatIds: number[]): Promise<void> {
  for (let start = 0; start < seatIds.length; start += 500) {
    await manager
      .createQueryBuilder()
      .update('date_seats')
      .set({
        status: () =>
          "(SELECT CASE WHEN seats.unavailable THEN 'unavailable' ELSE 'free' END FROM seats WHERE seats.id = date_seats.seat_id)",
      })
      .where("status IN ('free', 'unavailable')")
      .andWhere('seat_id IN (:...ids)', { ids: seatIds.slice(start, start + 500) })
      .execute();
  }
}
