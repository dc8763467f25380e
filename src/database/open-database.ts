import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { SqliteConnectionOptions } from 'typeorm/driver/sqlite/SqliteConnectionOptions';
import { migrate } from './migrate';

const writers = new WeakMap<DataSource, DataSource>();

/**
 * Opens the database by role and applies pending migrations. Returns the data source for
 * reads, which the app's repositories use.
 *
 * On SQLite that is a read-only connection of its own: TypeORM's SQLite driver has a single
 * connection, and whatever else ran on it while a write transaction was open ran inside that
 * transaction (a page read counts that might still roll back). With WAL, the reader sees the
 * last committed state and never waits for the writer. The writer (see `writerFor`) is the
 * write queue's alone. PostgreSQL's pool gives each caller a connection of its own, so there
 * one data source plays both roles.
 */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const writer = await new DataSource(options).initialize();
  try {
    await migrate(writer);
    const reader =
      options.type === 'sqlite' && options.database !== ':memory:'
        ? await openReader(options)
        : writer;
    writers.set(reader, writer);
    return reader;
  } catch (error) {
    // Nest retries the whole factory: nothing of this attempt may stay open.
    await writer.destroy();
    throw error;
  }
}

const openReader = (options: SqliteConnectionOptions) =>
  new DataSource({ ...options, flags: sqlite3.OPEN_READONLY, migrations: [] }).initialize();

/** The data source that writes for `reader`'s database: only TransactionRunner uses it. */
export function writerFor(reader: DataSource): DataSource {
  const writer = writers.get(reader);
  if (!writer) throw new Error('This data source was not opened by openDatabase().');
  return writer;
}
