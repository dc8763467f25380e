import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Inserts one row and returns its generated id, in one statement. TypeORM's insert() reads back
 * every column that has a database default on SQLite (which has no RETURNING in its driver):
 * a second round trip inside the write queue on the booking path.
 */
export async function insertReturningId<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity>,
): Promise<number> {
  const insert = manager
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(values)
    .updateEntity(false);
  const postgres = manager.connection.options.type === 'postgres';
  const result = await (postgres ? insert.returning('id') : insert).execute();
  // SQLite answers with the last inserted row id; PostgreSQL with the RETURNING rows.
  const raw = result.raw as { id: number }[] | number;
  return Number(Array.isArray(raw) ? raw[0].id : raw);
}
