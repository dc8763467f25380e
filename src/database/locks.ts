import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/*
 * Explicit locks for PostgreSQL, held until the transaction ends. SQLite needs none:
 * its write transactions already run one at a time (queued, BEGIN IMMEDIATE).
 */

export const isPostgres = (manager: EntityManager) =>
  manager.connection.options.type === 'postgres';

/**
 * Makes the current transaction the only writer of `table`, across every app process,
 * while reads go on. At READ COMMITTED two transactions could otherwise both find
 * "no such row" (or "no users yet") and both insert.
 */
export async function lockTableForWriting(manager: EntityManager, table: string): Promise<void> {
  if (!isPostgres(manager)) return;
  await manager.query(
    `LOCK TABLE ${manager.connection.driver.escape(table)} IN SHARE ROW EXCLUSIVE MODE`,
  );
}

/**
 * Locks one row by id. `shared` (FOR KEY SHARE) is taken by many transactions at once
 * and keeps the row from being deleted; `exclusive` (FOR UPDATE) waits until every
 * other holder has committed, so what it reads next includes their work.
 */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: number,
  mode: 'shared' | 'exclusive',
): Promise<void> {
  if (!isPostgres(manager)) return;
  await manager
    .createQueryBuilder(entity, 'row')
    .select('row.id')
    .where('row.id = :id', { id })
    .setLock(mode === 'shared' ? 'for_key_share' : 'pessimistic_write')
    .getRawOne();
}
