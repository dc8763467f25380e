// Seeds a migrated database with realistic data, straight through the driver (fast, one transaction).
import { createHash } from 'node:crypto';

const sqlTime = (date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** The id of the row an INSERT added. */
const insert = async (db, sql, params) => (await db.run(sql, params)).id;

/**
 * `events` published events a month ahead with three ticket types each (capacity 1,000,000,
 * so benchmark bookings never sell out), `pastBookings` confirmed bookings spread over them,
 * an admin and an API token. Returns what the scenarios need.
 */
export async function seed(database, { events, pastBookings }) {
  const db = await database.open();
  const token = 'bo_benchmark-token-0123456789abcdefghijklmnopqrstuv';
  await db.run('BEGIN');
  const adminId = await insert(
    db,
    "INSERT INTO users (email, password_hash, display_name, role) VALUES ('bench@example.com', 'x', 'Bench Admin', 'admin')",
  );
  await insert(
    db,
    'INSERT INTO api_tokens (name, token_hash, token_prefix, user_id) VALUES (?, ?, ?, ?)',
    ['bench', createHash('sha256').update(token).digest('hex'), token.slice(0, 10), adminId],
  );
  // The admin's own organisation, which owns every seeded event (as registering makes one).
  const organisationId = await insert(
    db,
    "INSERT INTO organisations (name, founder_id) VALUES ('Bench Admin', ?)",
    [adminId],
  );
  await insert(
    db,
    "INSERT INTO memberships (organisation_id, user_id, role) VALUES (?, ?, 'owner')",
    [organisationId, adminId],
  );
  const ticketTypes = [];
  const eventIds = [];
  for (let i = 0; i < events; i++) {
    const startsAt = sqlTime(new Date(Date.now() + (30 + (i % 60)) * 86_400_000));
    const eventId = await insert(
      db,
      `INSERT INTO events (organiser_id, organisation_id, title, description, venue, starts_at, status, published_at, max_tickets_per_type)
       VALUES (?, ?, ?, ?, ?, ?, 'published', ?, 10)`,
      [
        adminId,
        organisationId,
        `Concert ${i + 1}`,
        'An evening of music.',
        'The Hall',
        startsAt,
        sqlTime(new Date()),
      ],
    );
    eventIds.push(eventId);
    const dateId = await insert(db, 'INSERT INTO event_dates (event_id, starts_at) VALUES (?, ?)', [
      eventId,
      startsAt,
    ]);
    for (const [order, [name, price]] of [
      ['Standard', 2500],
      ['Concession', 1500],
      ['VIP', 9000],
    ].entries()) {
      const id = await insert(
        db,
        'INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold, sort_order) VALUES (?, ?, ?, 1000000, 0, ?)',
        [eventId, name, price, order],
      );
      await db.run(
        'INSERT INTO date_inventory (date_id, ticket_type_id, capacity) VALUES (?, ?, 1000000)',
        [dateId, id],
      );
      ticketTypes.push({ id, eventId, dateId, price });
    }
  }
  for (let i = 0; i < pastBookings; i++) {
    const type = ticketTypes[i % ticketTypes.length];
    const bookingId = await insert(
      db,
      `INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status)
       VALUES (?, ?, ?, ?, 'Past Buyer', 'past@example.com', ?, 'confirmed')`,
      [`P${String(i).padStart(9, '0')}`, `secret-${i}`, type.eventId, type.dateId, type.price],
    );
    await insert(
      db,
      'INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) VALUES (?, ?, 1, ?)',
      [bookingId, type.id, type.price],
    );
    await db.run('UPDATE ticket_types SET sold = sold + 1 WHERE id = ?', [type.id]);
    await db.run(
      'UPDATE date_inventory SET sold = sold + 1 WHERE date_id = ? AND ticket_type_id = ?',
      [type.dateId, type.id],
    );
  }
  await db.run('COMMIT');
  await db.close();
  return { token, eventIds, ticketTypes };
}

/** Adds one published event with a single ticket type of `capacity` (for the on-sale rush). */
export async function seedRush(database, capacity) {
  const db = await database.open();
  const startsAt = sqlTime(new Date(Date.now() + 7 * 86_400_000));
  const eventId = await insert(
    db,
    `INSERT INTO events (organiser_id, organisation_id, title, starts_at, status, published_at, max_tickets_per_type)
     VALUES (1, (SELECT MIN(id) FROM organisations), 'The rush', ?, 'published', ?, 10)`,
    [startsAt, sqlTime(new Date())],
  );
  const dateId = await insert(db, 'INSERT INTO event_dates (event_id, starts_at) VALUES (?, ?)', [
    eventId,
    startsAt,
  ]);
  const ticketTypeId = await insert(
    db,
    "INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold, sort_order) VALUES (?, 'Standard', 2500, ?, 0, 0)",
    [eventId, capacity],
  );
  await db.run('INSERT INTO date_inventory (date_id, ticket_type_id, capacity) VALUES (?, ?, ?)', [
    dateId,
    ticketTypeId,
    capacity,
  ]);
  await db.close();
  return { eventId, ticketTypeId };
}
