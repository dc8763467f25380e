import { startTestApp, TestApp } from './test-app';
import { createTestDatabase, TEST_REDIS_URL } from './test-database';

/** Two app instances sharing a fresh PostgreSQL database and Redis, as two processes of one site. */
export interface AppPair {
  apps: [TestApp, TestApp];
  /** Closes both and drops the database. */
  close(): Promise<void>;
}

/** Each instance has its own connection pool and listens on its own port. */
export async function startAppPair(): Promise<AppPair> {
  const database = await createTestDatabase('postgres');
  const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL };
  const apps: [TestApp, TestApp] = [await startTestApp(env), await startTestApp(env)];
  await Promise.all(apps.map((app) => app.app.listen(0)));
  return {
    apps,
    async close() {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
    },
  };
}
