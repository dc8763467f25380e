import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, MigrationInterface } from 'typeorm';
import { databaseConfigFromEnv } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import type { TestDatabase } from './test-database';

const MIGRATIONS_DIR = join(__dirname, '../../src/database/migrations');

/** The migration classes of the files whose timestamp passes `keep`, in order. */
export async function migrations(
  keep: (timestamp: number) => boolean,
): Promise<(new () => MigrationInterface)[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.ts') && keep(Number(file.split('-')[0])))
    .sort();
  const modules = await Promise.all(
    files.map(
      (file) =>
        import(join(MIGRATIONS_DIR, file)) as Promise<Record<string, new () => MigrationInterface>>,
    ),
  );
  return modules.flatMap((module) => Object.values(module));
}

/** A database migrated to just before `timestamp` (to fill under the old schema), and `finish` to run the rest. */
export async function migratedUntil(database: TestDatabase, timestamp: number) {
  const options = dataSourceOptions(databaseConfigFromEnv({ DATABASE_URL: database.url }));
  const source = await new DataSource({
    ...options,
    migrations: await migrations((at) => at < timestamp),
  }).initialize();
  await source.runMigrations();
  const finish = async () => {
    source.migrations.push(
      ...(await migrations((at) => at >= timestamp)).map((Migration) => new Migration()),
    );
    await source.runMigrations();
  };
  /** SQL with `?` placeholders on either database. */
  const sql = <T>(text: string, params: unknown[] = []): Promise<T> => {
    let n = 0;
    const query =
      source.options.type === 'postgres' ? text.replace(/\?/g, () => `$${n++ + 1}`) : text;
    return source.query<T>(query, params);
  };
  return { source, sql, finish };
}
