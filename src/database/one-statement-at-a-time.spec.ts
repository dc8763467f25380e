import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { OneStatementAtATimeDatabase } from './one-statement-at-a-time';

function open(Database: typeof sqlite3.Database, path: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new Database(path, (error) =>
      error ? reject(error) : resolve(db),
    );
  });
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) =>
    db.all(sql, params, (error: Error | null, rows: T[]) =>
      error ? reject(error) : resolve(rows),
    ),
  );
}

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    db.run(sql, params, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

describe('OneStatementAtATimeDatabase', () => {
  let dir: string;
  let path: string;
  let opened: sqlite3.Database[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'one-statement-'));
    path = join(dir, 'test.sqlite');
    opened = [];
    const setup = await open(sqlite3.Database, path);
    await all(setup, 'PRAGMA journal_mode = WAL');
    await run(setup, 'CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
    await close(setup);
  });
  afterEach(async () => {
    await Promise.all(opened.map(close));
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (busyTimeoutMs: number) => {
    const db = await open(OneStatementAtATimeDatabase, path);
    db.configure('busyTimeout', busyTimeoutMs);
    opened.push(db);
    return db;
  };

  it('gives every statement its own results through its callback', async () => {
    const db = await connect(1000);
    await run(db, "INSERT INTO items (label) VALUES ('a'), ('b')");
    const [rows, [count]] = await Promise.all([
      all<{ label: string }>(db, 'SELECT label FROM items ORDER BY id'),
      all<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM items'),
    ]);
    expect(rows).toEqual([{ label: 'a' }, { label: 'b' }]);
    expect(count.n).toBe(2);
  });

  it('passes on the statement context (lastID, changes) to run callbacks', async () => {
    const db = await connect(1000);
    const context = await new Promise<{ lastID: number; changes: number }>((resolve, reject) =>
      db.run(
        "INSERT INTO items (label) VALUES ('x')",
        [],
        function (this: sqlite3.RunResult, error: Error | null) {
          if (error) reject(error);
          else resolve({ lastID: this.lastID, changes: this.changes });
        },
      ),
    );
    expect(context).toEqual({ lastID: 1, changes: 1 });
  });

  it('reports an error to the failing statement only, and keeps running the next ones', async () => {
    const db = await connect(1000);
    const results = await Promise.allSettled([
      run(db, "INSERT INTO items (label) VALUES ('before')"),
      run(db, 'INSERT INTO no_such_table VALUES (1)'),
      run(db, "INSERT INTO items (label) VALUES ('after')"),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await all(db, 'SELECT label FROM items ORDER BY id')).toEqual([
      { label: 'before' },
      { label: 'after' },
    ]);
  });

  it('keeps every write that reported success while another connection keeps taking the write lock', async () => {
    const other = await connect(1);
    const writer = await connect(1);
    let writing = true;
    let busyRefusals = 0;
    // Another connection on the file (the app beside its session store) writing transaction after transaction.
    const otherWrites = (async () => {
      while (writing) {
        try {
          await run(other, 'BEGIN IMMEDIATE');
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        await all(other, 'SELECT COUNT(*) FROM items');
        await run(other, 'COMMIT');
      }
    })();
    // Each insert is retried while refused with SQLITE_BUSY, as TypeORM's busyErrorRetry does.
    const insert = async (label: string): Promise<void> => {
      try {
        await run(writer, 'INSERT INTO items (label) VALUES (?)', [label]);
      } catch (error) {
        if (!String(error).includes('SQLITE_BUSY')) throw error;
        busyRefusals++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        return insert(label);
      }
    };
    const labels = Array.from({ length: 300 }, (_, i) => `item-${i}`);
    await Promise.all(labels.map(insert));
    writing = false;
    await otherWrites;

    const stored = (await all<{ label: string }>(writer, 'SELECT label FROM items')).map(
      (row) => row.label,
    );
    expect(busyRefusals).toBeGreaterThan(0);
    expect(stored.sort()).toEqual([...labels].sort());
  });
});
