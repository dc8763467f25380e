import type { DataSource } from 'typeorm';
import { TICKET_CODE } from '../src/bookings/ticket-code';
import { migratedUntil } from './support/migrations';
import { createTestDatabase, TestDatabase } from './support/test-database';

const TICKETS = 1766100000000;

/**
 * PRODUCT.md "Tickets, one by one": every booking of a database filled under the previous
 * schema gets one ticket per unit it holds, each with its own code, checked in if it was.
 */
describe('the migration to tickets, on a database filled by the previous schema', () => {
  let database: TestDatabase;
  let source: DataSource;
  let sql: <T>(text: string, params?: unknown[]) => Promise<T>;
  let finish: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ source, sql, finish } = await migratedUntil(database, TICKETS));
  });
  afterAll(async () => {
    await source?.destroy();
    await database.drop();
  });

  it('gives each booking one ticket per unit, each with its own code, checked in with its booking', async () => {
    await sql(
      "INSERT INTO users (email, password_hash, display_name, role) VALUES ('old@example.com', 'x', 'Old', 'organiser')",
    );
    await sql(
      "INSERT INTO events (organiser_id, title, starts_at, status) VALUES (1, 'Old event', '2031-05-01 19:30:00.000', 'published')",
    );
    await sql(
      "INSERT INTO event_dates (event_id, starts_at) VALUES (1, '2031-05-01 19:30:00.000')",
    );
    for (const name of ['Standing', 'Seated']) {
      await sql(
        'INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold) VALUES (1, ?, 1000, 300, 0)',
        [name],
      );
    }
    // 250 bookings of 2 Standing and 1 Seated: more than one batch of the migration.
    for (let n = 0; n < 250; n++) {
      await sql(
        `INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status, payment_method, checked_in_at)
         VALUES (?, 's', 1, 1, 'Ada', 'ada@example.com', 3000, 'confirmed', 'on_site', ?)`,
        [`OLD${String(n).padStart(7, '0')}`, n === 0 ? '2031-05-01 19:45:00.000' : null],
      );
      for (const [type, quantity] of [
        [1, 2],
        [2, 1],
      ]) {
        await sql(
          'INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) VALUES (?, ?, ?, 1000)',
          [n + 1, type, quantity],
        );
      }
    }

    await finish();

    const tickets = await sql<
      { booking_id: number; ticket_type_id: number; code: string; checked_in_at: unknown }[]
    >('SELECT booking_id, ticket_type_id, code, checked_in_at FROM tickets ORDER BY id');
    expect(tickets).toHaveLength(750);
    expect(new Set(tickets.map((ticket) => ticket.code)).size).toBe(750);
    expect(tickets.every((ticket) => TICKET_CODE.test(ticket.code))).toBe(true);
    const first = tickets.filter((ticket) => Number(ticket.booking_id) === 1);
    expect(first.map((ticket) => Number(ticket.ticket_type_id))).toEqual([1, 1, 2]);
    expect(first.every((ticket) => ticket.checked_in_at !== null)).toBe(true);
    expect(tickets.filter((ticket) => ticket.checked_in_at !== null)).toHaveLength(3);
  });
});
