import { ServiceUnavailableException } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TransactionRunner } from './transaction-runner';

/** A promise with its resolve exposed, to hold a transaction open until the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('TransactionRunner at shutdown (real SQLite file)', () => {
  let dir: string;
  let writer: DataSource;
  let runner: TransactionRunner;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'transaction-runner-'));
    writer = await new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      enableWAL: true,
    }).initialize();
    await writer.query('CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
    runner = new TransactionRunner(writer);
  });
  afterEach(async () => {
    if (writer.isInitialized) await writer.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (label: string) =>
    runner.run((manager) => manager.query('INSERT INTO items (label) VALUES (?)', [label]));
  const labels = async () => {
    const reader = await new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
    }).initialize();
    try {
      const rows: { label: string }[] = await reader.query('SELECT label FROM items ORDER BY id');
      return rows.map((row) => row.label);
    } finally {
      await reader.destroy();
    }
  };

  it('lets every transaction under way commit before it closes the database', async () => {
    const held = gate();
    const first = runner.run(async (manager) => {
      await manager.query("INSERT INTO items (label) VALUES ('first')");
      await held.opened;
    });
    const queued = insert('queued behind it');
    const closed = runner.onApplicationShutdown();
    held.open();
    await Promise.all([first, queued, closed]);
    expect(writer.isInitialized).toBe(false);
    expect(await labels()).toEqual(['first', 'queued behind it']);
  });

  it('refuses a transaction asked for once shutdown has begun (503), writing nothing, however the count of those in flight has gone up and down', async () => {
    await insert('done before');
    const held = gate();
    const first = runner.run(async (manager) => {
      await manager.query("INSERT INTO items (label) VALUES ('first')");
      await held.opened;
    });
    const closed = runner.onApplicationShutdown();
    // The next transaction of a request that began before the signal.
    const late = insert('too late');
    held.open();
    await expect(late).rejects.toBeInstanceOf(ServiceUnavailableException);
    await Promise.all([first, closed]);
    await expect(insert('after closing')).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(await labels()).toEqual(['done before', 'first']);
  });

  it('closes at once when nothing is in flight', async () => {
    await insert('only');
    await runner.onApplicationShutdown();
    expect(writer.isInitialized).toBe(false);
  });
});
