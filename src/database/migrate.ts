import { DataSource } from 'typeorm';

/**
 * Applies pending migrations at start-up. On PostgreSQL, app processes that start
 * together take turns under an advisory lock (one per schema): the first applies
 * the migrations, the others then find nothing left to do. SQLite runs a single
 * app process, and its migration transaction locks the file anyway.
 */
export async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  const key = "hashtext('boxoffice migrations ' || current_schema())";
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(${key})`);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(${key})`).catch(() => undefined);
    await lock.release();
  }
}
