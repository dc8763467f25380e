// The two ceilings a run is measured against, on this machine, in the same run.
import { spawn } from 'node:child_process';
import sqlite3 from 'sqlite3';

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
 * The booking transaction's statements straight through sqlite3 (no HTTP, no ORM), one after
 * another as the app's write queue runs them: read the event and its ticket types, the
 * conditional UPDATE, the booking and its item, in a BEGIN IMMEDIATE transaction.
 */
export async function rawSqlBookingsPerSecond(path, { eventId, ticketTypeId }, seconds) {
  const db = new sqlite3.Database(path);
  const run = (sql, params = []) =>
    new Promise((resolve, reject) =>
      db.run(sql, params, function done(error) {
        if (error) reject(error);
        else resolve(this);
      }),
    );
  const all = (sql, params = []) =>
    new Promise((resolve, reject) =>
      db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA busy_timeout = 5000');
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await run('BEGIN IMMEDIATE');
    await all(
      "SELECT e.*, t.* FROM events e LEFT JOIN ticket_types t ON t.event_id = e.id WHERE e.id = ? AND e.status = 'published'",
      [eventId],
    );
    const updated = await run(
      'UPDATE ticket_types SET sold = sold + 1 WHERE id = ? AND event_id = ? AND sold + 1 <= capacity',
      [ticketTypeId, eventId],
    );
    if (updated.changes !== 1) throw new Error('raw booking loop sold out');
    const booking = await run(
      `INSERT INTO bookings (reference, secret, event_id, attendee_name, attendee_email, total_cents, status)
       VALUES (?, 'secret', ?, 'Raw Buyer', 'raw@example.com', 2500, 'confirmed')`,
      [`RAW${String(count).padStart(7, '0')}`, eventId],
    );
    await run(
      'INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) VALUES (?, ?, 1, 2500)',
      [booking.lastID, ticketTypeId],
    );
    await run('COMMIT');
    count++;
  }
  await new Promise((resolve) => db.close(resolve));
  return count / seconds;
}
