import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isPostgres } from './locks';

/*
 * Inserts in one statement. TypeORM's insert() reads back every column that has a database
 * default on SQLite (which has no RETURNING in its driver): a second round trip inside the
 * write queue, on the booking path and in every audited change.
 */

const insertQuery = <Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity> | QueryDeepPartialEntity<Entity>[],
) => manager.createQueryBuilder().insert().into(target).values(values).updateEntity(false);

/** Inserts one row and returns its generated id. */
export async function insertReturningId<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity>,
): Promise<number> {
  const insert = insertQuery(manager, target, values);
  const result = await (isPostgres(manager) ? insert.returning('id') : insert).execute();
  // SQLite answers with the last inserted row id; PostgreSQL with the RETURNING rows.
  const raw = result.raw as { id: number }[] | number;
  return Number(Array.isArray(raw) ? raw[0].id : raw);
}

/** Inserts rows (in one statement) when nothing of them is needed back. */
export async function insertWithoutReadBack<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity> | QueryDeepPartialEntity<Entity>[],
): Promise<void> {
  await insertQuery(manager, target, values).execute();
}
