import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { openDatabase, writerFor } from './open-database';

describe('openDatabase (SQLite file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'open-database-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = () => dataSourceOptions({ type: 'sqlite', path: join(dir, 'app.sqlite') });

  it('opens a migrated writer and a read-only reader of its own', async () => {
    const reader = await openDatabase(options());
    const writer = writerFor(reader);
    try {
      expect(writer).not.toBe(reader);
      expect(await reader.query('SELECT COUNT(*) AS n FROM events')).toEqual([{ n: 0 }]);
      await expect(reader.query("INSERT INTO site_settings (name) VALUES ('x')")).rejects.toThrow(
        /readonly/,
      );
    } finally {
      await reader.destroy();
      await writer.destroy();
    }
  });

  it('closes the writer again when the reader cannot be opened, so a retry leaks nothing', async () => {
    const opened: DataSource[] = [];
    const initialize = DataSource.prototype.initialize;
    jest.spyOn(DataSource.prototype, 'initialize').mockImplementation(function (this: DataSource) {
      opened.push(this);
      if (opened.length === 2) return Promise.reject(new Error('SQLITE_CANTOPEN'));
      return initialize.call(this);
    });
    await expect(openDatabase(options())).rejects.toThrow('SQLITE_CANTOPEN');
    expect(opened).toHaveLength(2);
    expect(opened[0].isInitialized).toBe(false);
  });
});
