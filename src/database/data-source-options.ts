import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { oneStatementAtATimeSqlite3 } from './one-statement-at-a-time';

/** Every migration, in order of the timestamp that starts its file name (from src/ in tests, dist/ when built). */
export const MIGRATIONS = join(__dirname, 'migrations', '*.{js,ts}');

/**
 * The one description of the database, shared by the app and the TypeORM CLI. The app's
 * modules register their own entities (`autoLoadEntities`); migrations need none.
 */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = { migrations: [MIGRATIONS], synchronize: false, migrationsRun: false };
  if (database.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: database.url,
      poolSize: database.poolSize,
      // A database that does not answer (or a pool with no connection free for this long)
      // fails the request with a 503 instead of holding it. A thousand buyers arriving at one
      // process at once queue for its pool for several seconds on two cores: they wait.
      connectTimeoutMS: 10_000,
      extra: { statement_timeout: 10_000, query_timeout: 15_000 },
    };
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    enableWAL: true,
    busyTimeout: 5000,
    // Each connection runs one statement at a time: see one-statement-at-a-time.ts.
    driver: oneStatementAtATimeSqlite3,
  };
}
