// The database a benchmark run uses: a temporary SQLite file (the default), or a fresh schema in
// PostgreSQL when DATABASE_URL points there. One small query interface for seeding and the raw-SQL loop.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';

export const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : undefined;

/** A new empty database named `name`: `{ kind, url (for the app), open(), drop() }`. */
export async function createBenchDatabase(dir, name) {
  if (!postgresUrl) {
    const path = join(dir, `${name}.sqlite`);
    return {
      kind: 'sqlite',
      dir,
      url: `sqlite:${path}`,
      open: () => openSqlite(path),
      drop: async () => {},
    };
  }
  const schema = `boxoffice_bench_${name.replace(/\W/g, '_')}_${randomBytes(3).toString('hex')}`;
  await withClient(postgresUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(postgresUrl);
  // The app runs with a bare environment (no USER): name the user the bench itself connects as.
  url.username ||= userInfo().username;
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind: 'postgres',
    dir,
    url: url.toString(),
    open: () => openPostgres(url.toString()),
    drop: () => withClient(postgresUrl, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)),
  };
}

/** `run` resolves to `{ id, changes }` (id of an inserted row), `all` to the rows. */
function openSqlite(path) {
  const db = new sqlite3.Database(path);
  const run = (sql, params = []) =>
    new Promise((resolve, reject) =>
      db.run(sql, params, function done(error) {
        if (error) reject(error);
        else resolve({ id: this.lastID, changes: this.changes });
      }),
    );
  const all = (sql, params = []) =>
    new Promise((resolve, reject) =>
      db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  return {
    kind: 'sqlite',
    run,
    all,
    begin: () => run('BEGIN IMMEDIATE'),
    close: () => new Promise((resolve) => db.close(resolve)),
  };
}

async function openPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const run = async (sql, params = []) => {
    const insert = /^\s*INSERT/i.test(sql);
    // `*`: some tables (date_inventory, date_seats) have no `id`.
    const result = await client.query(numbered(insert ? `${sql} RETURNING *` : sql), params);
    return { id: insert ? result.rows[0]?.id : undefined, changes: result.rowCount };
  };
  return {
    kind: 'postgres',
    run,
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows,
    begin: () => run('BEGIN'),
    close: () => client.end(),
  };
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
