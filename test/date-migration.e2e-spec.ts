import type { DataSource } from 'typeorm';
import { migratedUntil } from './support/migrations';
import { createTestDatabase, TestDatabase } from './support/test-database';

const EVENT_DATES = 1765800000000;

/**
 * PRODUCT.md "Dates": every event of a database filled under the previous schema becomes a
 * one-date event, its bookings booked for that date; nothing else about them changes.
 */
describe('the migration to dates, on a database filled by the previous schema', () => {
  let database: TestDatabase;
  let source: DataSource;
  let sql: <T>(text: string, params?: unknown[]) => Promise<T>;
  let finish: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ source, sql, finish } = await migratedUntil(database, EVENT_DATES));
  });
  afterAll(async () => {
    await source?.destroy();
    await database.drop();
  });

  it('makes each event a one-date event with its start and end, its bookings for that date', async () => {
    await sql(
      "INSERT INTO users (email, password_hash, display_name, role) VALUES ('old@example.com', 'x', 'Old', 'organiser')",
    );
    const starts = ['2031-05-01 19:30:00.000', '2031-06-01 20:00:00.000'];
    for (const [index, startsAt] of starts.entries()) {
      await sql(
        `INSERT INTO events (organiser_id, title, starts_at, ends_at, status, published_at)
         VALUES (1, ?, ?, ?, 'published', ?)`,
        [`Old event ${index}`, startsAt, index === 0 ? '2031-05-01 23:00:00.000' : null, starts[0]],
      );
      await sql(
        "INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold) VALUES (?, 'Standard', 1000, 10, 2)",
        [index + 1],
      );
      for (const status of ['confirmed', 'cancelled']) {
        await sql(
          `INSERT INTO bookings (reference, secret, event_id, attendee_name, attendee_email, total_cents, status, payment_method)
           VALUES (?, 's', ?, 'Ada', 'ada@example.com', 2000, ?, 'on_site')`,
          [`OLD${index}${status.slice(0, 3).toUpperCase()}`, index + 1, status],
        );
      }
    }

    await finish();

    const dates = await sql<
      { id: number; event_id: number; starts_at: unknown; ends_at: unknown; status: string }[]
    >('SELECT id, event_id, starts_at, ends_at, status FROM event_dates ORDER BY event_id');
    expect(dates.map((date) => [Number(date.event_id), date.status])).toEqual([
      [1, 'scheduled'],
      [2, 'scheduled'],
    ]);
    expect(new Date(String(dates[0].starts_at))).toEqual(
      new Date(
        String(
          (await sql<{ starts_at: unknown }[]>('SELECT starts_at FROM events WHERE id = 1'))[0]
            .starts_at,
        ),
      ),
    );
    expect(dates[0].ends_at).not.toBeNull();
    expect(dates[1].ends_at).toBeNull();
    const bookings = await sql<{ event_id: number; date_id: number }[]>(
      'SELECT event_id, date_id FROM bookings ORDER BY id',
    );
    expect(bookings.map((booking) => [Number(booking.event_id), Number(booking.date_id)])).toEqual([
      [1, Number(dates[0].id)],
      [1, Number(dates[0].id)],
      [2, Number(dates[1].id)],
      [2, Number(dates[1].id)],
    ]);
    const [type] = await sql<{ sold: number }[]>(
      'SELECT sold FROM ticket_types WHERE event_id = 1',
    );
    expect(Number(type.sold)).toBe(2);
  });

  it('counts each type’s tickets on that date: its capacity and what it sold', async () => {
    const stock = await sql<
      { date_id: number; event_id: number; capacity: number; sold: number; reserved: number }[]
    >(
      `SELECT date_inventory.date_id, event_dates.event_id, date_inventory.capacity, date_inventory.sold, date_inventory.reserved
       FROM date_inventory JOIN event_dates ON event_dates.id = date_inventory.date_id ORDER BY event_dates.event_id`,
    );
    expect(
      stock.map((row) => [row.event_id, row.capacity, row.sold, row.reserved].map(Number)),
    ).toEqual([
      [1, 10, 2, 0],
      [2, 10, 2, 0],
    ]);
    await expect(
      sql('UPDATE date_inventory SET sold = 11 WHERE date_id = ?', [stock[0].date_id]),
    ).rejects.toThrow();
  });

  it('refuses a booking without a date from then on (the column is required)', async () => {
    await expect(
      sql(
        `INSERT INTO bookings (reference, secret, event_id, attendee_name, attendee_email, total_cents, status, payment_method)
         VALUES ('NODATE0001', 's', 1, 'Ada', 'ada@example.com', 0, 'confirmed', 'free')`,
      ),
    ).rejects.toThrow();
  });
});
