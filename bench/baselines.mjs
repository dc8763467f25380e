// The two ceilings a run is measured against, on this machine, in the same run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** A bare node:http "hello" server in a process of its own, like the app. */
export function startHelloServer(port) {
  const child = spawn(
    process.execPath,
    ['-e', `require('node:http').createServer((q, s) => s.end('hello')).listen(${port})`],
    { stdio: 'ignore' },
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

/**
 * The booking transaction's statements straight through the driver (no HTTP, no ORM): read the
 * event, its ticket types and the date, the conditional UPDATE of the date's tickets and the
 * type's sum, the booking, its item and its ticket, committed. On SQLite one loop, one statement
 * after another, as the app's write queue runs them (BEGIN IMMEDIATE); on PostgreSQL `loops`
 * connections at once, as the app's pool does, the event held FOR KEY SHARE as the app holds it.
 */
export async function rawSqlBookingsPerSecond(database, { eventId, ticketTypeId }, seconds, loops) {
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  const loop = async () => {
    const db = await database.open();
    if (db.kind === 'sqlite') {
      await db.run('PRAGMA journal_mode = WAL');
      await db.run('PRAGMA busy_timeout = 5000');
    }
    while (Date.now() < deadline) {
      await db.begin();
      if (db.kind === 'postgres')
        await db.all('SELECT id FROM events WHERE id = ? FOR KEY SHARE', [eventId]);
      await db.all(
        "SELECT e.*, t.* FROM events e LEFT JOIN ticket_types t ON t.event_id = e.id WHERE e.id = ? AND e.status = 'published'",
        [eventId],
      );
      const [date] = await db.all(
        "SELECT id FROM event_dates WHERE event_id = ? AND status = 'scheduled' ORDER BY starts_at",
        [eventId],
      );
      await db.run('UPDATE ticket_types SET sold = sold + 1 WHERE id = ? AND event_id = ?', [
        ticketTypeId,
        eventId,
      ]);
      const updated = await db.run(
        'UPDATE date_inventory SET sold = sold + 1 WHERE date_id = ? AND ticket_type_id = ? AND sold + 1 <= capacity',
        [date.id, ticketTypeId],
      );
      if (updated.changes !== 1) throw new Error('raw booking loop sold out');
      const booking = await db.run(
        `INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status)
         VALUES (?, 'secret', ?, ?, 'Raw Buyer', 'raw@example.com', 2500, 'confirmed')`,
        [`RAW${randomBytes(6).toString('hex')}`, eventId, date.id],
      );
      await db.run(
        'INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) VALUES (?, ?, 1, 2500)',
        [booking.id, ticketTypeId],
      );
      await db.run('INSERT INTO tickets (booking_id, ticket_type_id, code) VALUES (?, ?, ?)', [
        booking.id,
        ticketTypeId,
        randomBytes(8).toString('hex').toUpperCase(),
      ]);
      await db.run('COMMIT');
      count++;
    }
    await db.close();
  };
  await Promise.all(Array.from({ length: database.kind === 'sqlite' ? 1 : loops }, loop));
  return count / seconds;
}
