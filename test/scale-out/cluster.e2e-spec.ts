import { writerFor } from '../../src/database/open-database';
import { AppProcess } from '../support/app-process';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL } from '../support/test-database';

const ADMIN = { ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'correct horse battery' };

/** The workers that have said they are listening, in order. */
const workerPids = (output: string) =>
  [...output.matchAll(/\[Nest\] (\d+) .*listening on/g)].map((match) => Number(match[1]));

async function until(condition: () => boolean, cluster: AppProcess) {
  for (let waited = 0; !condition(); waited++) {
    if (waited > 300) throw new Error(`timed out; the cluster said:\n${cluster.output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm run start:cluster', () => {
  it('refuses SQLite with one clear line', async () => {
    const database = await createTestDatabase('sqlite');
    const cluster = await AppProcess.start('cluster', {
      DATABASE_URL: database.url,
      SESSION_SECRET: 'cluster-test',
    });
    expect(await cluster.exitCode()).toBe(1);
    expect(cluster.output.trim()).toBe(
      'boxoffice: cannot start: start:cluster needs PostgreSQL (DATABASE_URL=postgres://…); ' +
        'on SQLite run `npm start`, a single process that queues its writes',
    );
    await database.drop();
  });

  it('starts four workers at once on an empty PostgreSQL database, which migrate it once and create one admin, and stops them all on SIGTERM', async () => {
    const database = await createTestDatabase('postgres');
    const cluster = await AppProcess.start('cluster', {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      SESSION_SECRET: 'cluster-test',
      WEB_CONCURRENCY: '4',
      ...ADMIN,
    });
    try {
      await cluster.waitUntilServing();
      await until(() => workerPids(cluster.output).length === 4, cluster);
      expect(cluster.output).toContain('boxoffice: starting 4 worker processes');
      expect(cluster.output).not.toMatch(/ERROR|cannot start|exited/);

      // A worker that dies is replaced, and the others serve meanwhile.
      const [victim] = workerPids(cluster.output);
      process.kill(victim, 'SIGKILL');
      await until(() => workerPids(cluster.output).length === 5, cluster);
      expect(cluster.output).toContain(`worker ${victim} exited (SIGKILL); starting another`);
      expect((await fetch(`${cluster.url}/healthz`)).status).toBe(200);
    } finally {
      // Every worker finishes and the primary exits cleanly.
      expect(await cluster.stop('SIGTERM')).toBe(0);
    }

    const inspector = await startTestApp({ DATABASE_URL: database.url });
    try {
      const applied = await inspector.sql<{ name: string }[]>('SELECT name FROM migrations');
      expect(applied.map((row) => row.name).sort()).toEqual(
        writerFor(inspector.db)
          .migrations.map((migration) => migration.name)
          .sort(),
      );
      expect(await inspector.sql('SELECT email, role FROM users')).toEqual([
        { email: ADMIN.ADMIN_EMAIL, role: 'admin' },
      ]);
    } finally {
      await inspector.close();
      await database.drop();
    }
  });
});
