import type { DataSource } from 'typeorm';
import { migratedUntil } from './support/migrations';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ORGANISATIONS = 1766700000000;

/**
 * PRODUCT.md "Teams and accounts": on a database filled under the previous schema every
 * account gets an organisation of its own, which it owns, and its events move into it; the
 * webhook endpoints an organiser registered follow, an admin's keep hearing every event.
 */
describe('the migration to organisations, on a database filled by the previous schema', () => {
  let database: TestDatabase;
  let source: DataSource;
  let sql: <T>(text: string, params?: unknown[]) => Promise<T>;
  let finish: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ source, sql, finish } = await migratedUntil(database, ORGANISATIONS));
  });
  afterAll(async () => {
    await source?.destroy();
    await database.drop();
  });

  it('gives every account an organisation it owns, with its events and webhooks', async () => {
    for (const [email, name, role] of [
      ['ada@example.com', 'Ada Admin', 'admin'],
      ['olive@example.com', 'Olive Organiser', 'organiser'],
      ['idle@example.com', 'Ida Idle', 'organiser'],
    ])
      await sql(
        'INSERT INTO users (email, password_hash, display_name, role) VALUES (?, ?, ?, ?)',
        [email, 'x', name, role],
      );
    for (const [organiser, title] of [
      [1, 'Admin gala'],
      [2, 'Olive one'],
      [2, 'Olive two'],
    ])
      await sql(
        "INSERT INTO events (organiser_id, title, starts_at, status) VALUES (?, ?, '2031-05-01 19:30:00.000', 'published')",
        [organiser, title],
      );
    for (const owner of [1, 2])
      await sql(
        "INSERT INTO webhook_endpoints (owner_id, url, events, secret) VALUES (?, 'https://example.org/hook', 'booking.confirmed', 'sealed')",
        [owner],
      );

    await finish();

    const organisations = await sql<{ email: string; name: string; role: string }[]>(
      `SELECT users.email, organisations.name, memberships.role FROM memberships
       JOIN users ON users.id = memberships.user_id
       JOIN organisations ON organisations.id = memberships.organisation_id
       ORDER BY users.id`,
    );
    expect(organisations).toEqual([
      { email: 'ada@example.com', name: 'Ada Admin', role: 'owner' },
      { email: 'olive@example.com', name: 'Olive Organiser', role: 'owner' },
      { email: 'idle@example.com', name: 'Ida Idle', role: 'owner' },
    ]);
    const events = await sql<{ title: string; organisation: string }[]>(
      `SELECT events.title, organisations.name AS organisation FROM events
       JOIN organisations ON organisations.id = events.organisation_id ORDER BY events.id`,
    );
    expect(events).toEqual([
      { title: 'Admin gala', organisation: 'Ada Admin' },
      { title: 'Olive one', organisation: 'Olive Organiser' },
      { title: 'Olive two', organisation: 'Olive Organiser' },
    ]);
    const endpoints = await sql<{ owner_id: number; organisation: string | null }[]>(
      `SELECT webhook_endpoints.owner_id, organisations.name AS organisation FROM webhook_endpoints
       LEFT JOIN organisations ON organisations.id = webhook_endpoints.organisation_id
       ORDER BY webhook_endpoints.id`,
    );
    expect(endpoints.map(({ organisation }) => organisation)).toEqual([null, 'Olive Organiser']);
    await expect(
      sql("INSERT INTO events (organiser_id, title, starts_at) VALUES (2, 'Orphan', '2031-01-01')"),
    ).rejects.toThrow();
  });
});
