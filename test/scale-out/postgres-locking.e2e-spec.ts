import { QueryRunner } from 'typeorm';
import {
  Browser,
  createEvent,
  eventFields,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from '../support/test-app';

/*
 * Each race made deterministic: a transaction of "another process" is held open at
 * the worst moment, the app's request runs into its locks, and only then does it commit.
 */

describe('PostgreSQL: a request meeting another transaction in flight', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  /**
   * Runs `statements` in a transaction on `target`'s database, sends `request`, and commits
   * once the request is waiting on one of that transaction's locks.
   */
  async function whileInFlight<T>(
    target: TestApp,
    statements: [string, unknown[]][],
    request: () => PromiseLike<T>,
  ): Promise<T> {
    const other: QueryRunner = target.db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      for (const [text, params] of statements) await other.query(text, params);
      const [{ pid }] = (await other.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      // A supertest request is only sent once something waits for it.
      const pending = Promise.resolve(request());
      await untilBlockedBy(target, pid);
      await other.commitTransaction();
      return await pending;
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  }

  async function untilBlockedBy(target: TestApp, pid: number) {
    for (let tries = 0; tries < 500; tries++) {
      const [{ waiting }] = await target.sql<{ waiting: string }[]>(
        'SELECT COUNT(*) AS waiting FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))',
        [pid],
      );
      if (Number(waiting) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the request never waited for the other transaction');
  }

  const insertUser = (email: string, role: string): [string, unknown[]] => [
    "INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, 'x', 'Other Process', $2)",
    [email, role],
  ];

  let references = 0;
  /** A booking of one ticket, as BookingService writes it, by "another process". */
  const bookingOf = (eventId: number, ticketTypeId: number): [string, unknown[]][] => [
    ['UPDATE ticket_types SET sold = sold + 1 WHERE id = $1', [ticketTypeId]],
    ['UPDATE date_inventory SET sold = sold + 1 WHERE ticket_type_id = $1', [ticketTypeId]],
    [
      `INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status)
       VALUES ($1, 'secret', $2, (SELECT MIN(id) FROM event_dates WHERE event_id = $2), 'Other Process', 'other@example.com', 2500, 'confirmed')`,
      [`OTHER${String(++references).padStart(5, '0')}`, eventId],
    ],
    [
      `INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents)
       VALUES (currval(pg_get_serial_sequence('bookings', 'id')), $1, 1, 2500)`,
      [ticketTypeId],
    ],
  ];

  it('registering an email that another registration is inserting: 409 on the form, not a 500', async () => {
    const email = uniqueEmail('twin');
    const browser = testApp.browser();
    const csrf = await browser.csrfToken('/register');
    const res = await whileInFlight(testApp, [insertUser(email, 'organiser')], () =>
      browser.post('/register', {
        email,
        password: 'correct horse battery',
        displayName: 'Twin',
        _csrf: csrf,
      }),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('An account with this email already exists.');
  });

  it('registering while the very first account is being created: only that one is the admin', async () => {
    const fresh = await startTestApp();
    try {
      const browser = fresh.browser();
      const csrf = await browser.csrfToken('/register');
      const res = await whileInFlight(fresh, [insertUser(uniqueEmail('first'), 'admin')], () =>
        browser.post('/register', {
          email: uniqueEmail('second'),
          password: 'correct horse battery',
          displayName: 'Second',
          _csrf: csrf,
        }),
      );
      expect(res.status).toBe(303);
      expect(await fresh.sql('SELECT display_name, role FROM users ORDER BY id')).toEqual([
        { display_name: 'Other Process', role: 'admin' },
        { display_name: 'Second', role: 'organiser' },
      ]);
    } finally {
      await fresh.close();
    }
  });

  describe('an organiser and a booking in flight', () => {
    let organiser: Browser;

    beforeAll(async () => {
      organiser = testApp.browser();
      await register(organiser);
    });

    it('deleting the event waits for the booking, then refuses with 409', async () => {
      const eventId = await createEvent(testApp, organiser);
      const [type] = await ticketTypesOf(testApp, eventId);
      const csrf = await organiser.csrfToken('/organiser');
      const res = await whileInFlight(testApp, bookingOf(eventId, type.id), () =>
        organiser.post(`/delete-event/${eventId}`, { _csrf: csrf }),
      );
      expect(res.status).toBe(409);
      expect(res.text).toContain('has 1 ticket booked');
      expect(await testApp.sql('SELECT id FROM events WHERE id = ?', [eventId])).toHaveLength(1);
    });

    it('removing the ticket type waits for the booking, then refuses it on the form', async () => {
      const eventId = await createEvent(testApp, organiser);
      const [kept, removed] = await ticketTypesOf(testApp, eventId);
      const csrf = await organiser.csrfToken(`/edit-event/${eventId}`);
      const res = await whileInFlight(testApp, bookingOf(eventId, removed.id), () =>
        organiser.post(`/edit-event/${eventId}`, {
          ...eventFields({ 'ticketTypes[0][id]': kept.id }),
          'ticketTypes[1][name]': '',
          'ticketTypes[1][price]': '',
          'ticketTypes[1][capacity]': '',
          _csrf: csrf,
        }),
      );
      expect(res.status).toBe(422);
      expect(res.text).toContain('has bookings, so it cannot be removed');
      expect((await ticketTypesOf(testApp, eventId)).map((type) => type.id)).toEqual([
        kept.id,
        removed.id,
      ]);
    });
  });
});
