import { QueryRunner, TableColumnOptions } from 'typeorm';

/** Column shapes that produce the right DDL on SQLite and on PostgreSQL, for migrations. */
export function portableColumns(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const timestamp = postgres ? 'timestamptz' : 'datetime';
  const now = postgres ? 'now()' : "(datetime('now'))";
  const id: TableColumnOptions = {
    name: 'id',
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
  const createdAt: TableColumnOptions = { name: 'created_at', type: timestamp, default: now };
  const text = (
    name: string,
    length: number,
    extra: Partial<TableColumnOptions> = {},
  ): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    ...extra,
  });
  const integer = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'integer',
    ...extra,
  });
  return { timestamp, now, id, createdAt, text, integer };
}
