import { randomUUID } from 'node:crypto';
import { AccountTokensService } from '../../src/auth/account/account-tokens.service';
import { RedisConnection } from '../../src/redis/redis-connection';
import { RoamingBrowser } from '../support/roaming-browser';
import {
  hiddenField,
  insertEvent,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';

/*
 * Four app instances sharing one PostgreSQL database and one Redis, each with its own
 * connection pool and Redis client, as four processes behind a load balancer would be.
 */

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery' };
const SUCCESS = /^\/purchase\/success\?ref=[0-9A-Z]{10}$/;

describe('four app processes on one PostgreSQL database and one Redis', () => {
  let database: TestDatabase;
  let apps: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_FAILURES_PER_ACCOUNT: '5',
    };
    // One after another: in one test process, apps register passport's (process-wide)
    // deserializers as they start. Processes starting together are the cluster test's.
    apps = [];
    for (let i = 0; i < 4; i++) apps.push(await startTestApp(env));
    // Servers already listening: supertest would otherwise start and stop one per request.
    await Promise.all(apps.map((target) => target.app.listen(0)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((target) => target.close()));
    await database.drop();
  });

  it('accept a login made through one process on every other, and a logout on one ends it on all', async () => {
    const browser = new RoamingBrowser();
    const loginForm = await browser.get(apps[0], '/login');
    // The CSRF token issued by process 1 is accepted by process 2: it lives in the shared session.
    const login = await browser.post(apps[1], '/login', {
      ...ADMIN,
      _csrf: hiddenField(loginForm.text, '_csrf'),
    });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/organiser');

    for (const target of apps) {
      const page = await browser.get(target, '/organiser');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Administrator');
    }

    const dashboard = await browser.get(apps[2], '/organiser');
    const logout = await browser.post(apps[3], '/logout', {
      _csrf: hiddenField(dashboard.text, '_csrf'),
    });
    expect(logout.status).toBe(303);
    for (const target of apps) {
      const page = await browser.get(target, '/organiser');
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(/^\/login/);
    }
  });

  it('share rate-limit counters: the 6th failed login for an account is refused whichever process gets it', async () => {
    // Unique: Redis outlives test runs, and with it the count.
    const email = `target-${randomUUID()}@example.com`;
    for (let i = 0; i < 5; i++) {
      const browser = new RoamingBrowser();
      const form = await browser.get(apps[i % 4], '/login');
      const res = await browser.post(apps[i % 4], '/login', {
        email,
        password: `guess ${i}`,
        _csrf: hiddenField(form.text, '_csrf'),
      });
      expect(res.headers.location).toBe('/auth-fail');
    }
    for (const target of apps) {
      const browser = new RoamingBrowser();
      const form = await browser.get(target, '/login');
      const res = await browser.post(target, '/login', {
        email,
        password: 'guess',
        _csrf: hiddenField(form.text, '_csrf'),
      });
      expect(res.status).toBe(429);
    }
  });

  describe('1000 simultaneous purchases for 10 tickets, spread over the four', () => {
    const CAPACITIES = [4, 3, 2, 1];
    let eventId: number;
    let statuses: number[];
    let locations: string[];
    let elapsedMs: number;

    beforeAll(async () => {
      ({ eventId } = await insertEvent(apps[0], {
        ticketTypes: CAPACITIES.map((capacity) => ({ capacity })),
      }));
      const typeIds = (await ticketTypesOf(apps[0], eventId)).map((type) => type.id);
      // 100 buyers; each takes the buy form from one process and posts it to the next.
      const buyers = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const browser = new RoamingBrowser();
          const form = await browser.get(apps[i % 4], `/buy-tickets/${eventId}`);
          return { browser, csrf: hiddenField(form.text, '_csrf') };
        }),
      );
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          const buyer = buyers[i % buyers.length];
          // Each order: 1 or 2 tickets of one type, sometimes 1 of the next type as well.
          const first = i % 4;
          const second = (first + 1) % 4;
          return buyer.browser.post(apps[(i + 1) % 4], `/purchase/${eventId}`, {
            _csrf: buyer.csrf,
            idempotencyKey: `scale-out-${process.pid}-${i}`,
            attendeeName: 'Rush Buyer',
            attendeeEmail: 'rush@example.com',
            [`quantities[${typeIds[first]}]`]: 1 + (Math.floor(i / 4) % 2),
            [`quantities[${typeIds[second]}]`]: i % 3 === 0 ? 1 : 0,
          });
        }),
      );
      elapsedMs = Date.now() - started;
      statuses = responses.map((res) => res.status);
      locations = responses.map((res) => String(res.headers.location ?? ''));
      console.log(
        `1000 purchases over 4 processes on PostgreSQL: ${elapsedMs} ms, ` +
          `${locations.filter((location) => SUCCESS.test(location)).length} booked`,
      );
    }, 120_000);

    it('answers none with a 5xx', () => {
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
    });

    it('answers each with the success page or a clean "sold out"', () => {
      const soldOut = `/purchase/fail?reason=sold_out&event=${eventId}`;
      const unexpected = statuses.flatMap((status, i) =>
        status === 303 && (SUCCESS.test(locations[i]) || locations[i] === soldOut)
          ? []
          : [{ status, location: locations[i] }],
      );
      expect(unexpected).toEqual([]);
    });

    it('sells exactly the 10 tickets there are', async () => {
      const sold = (await ticketTypesOf(apps[0], eventId)).map((type) => Number(type.sold));
      expect(sold).toEqual(CAPACITIES);
    });

    it('keeps sold equal to the sum of confirmed booking items', async () => {
      expect(await soldMatchesBookedItems(apps[0])).toBe(true);
    });

    it('stores one booking for each success answered', async () => {
      const [{ count }] = await apps[0].sql<{ count: string }[]>(
        "SELECT COUNT(*) AS count FROM bookings WHERE event_id = ? AND status = 'confirmed'",
        [eventId],
      );
      expect(Number(count)).toBe(locations.filter((location) => SUCCESS.test(location)).length);
    });
  });

  describe('the sessions of an account, kept in Redis', () => {
    const PASSWORD = 'correct horse battery';
    const logIn = async (
      browser: RoamingBrowser,
      target: TestApp,
      email: string,
      password = PASSWORD,
    ) => {
      const form = await browser.get(target, '/login');
      return browser.post(target, '/login', {
        email,
        password,
        _csrf: hiddenField(form.text, '_csrf'),
      });
    };
    const loggedInEverywhere = async (browser: RoamingBrowser) => {
      const statuses = [];
      for (const target of apps) statuses.push((await browser.get(target, '/organiser')).status);
      return statuses.every((status) => status === 200)
        ? true
        : statuses.every((status) => status === 303)
          ? false
          : statuses;
    };
    const sessionIds = async (email: string) =>
      (
        await apps[0].sql<{ session_id: string }[]>(
          'SELECT s.session_id FROM account_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ? ORDER BY s.id',
          [email],
        )
      ).map((row) => row.session_id);
    const inRedis = async (sessionId: string) =>
      (await apps[0].app.get(RedisConnection).client!.exists(`boxoffice:session:${sessionId}`)) ===
      1;

    it('end one of them from /account on one process: it is out of Redis and logged out on all', async () => {
      const email = `owner-${randomUUID()}@example.com`;
      const laptop = new RoamingBrowser();
      const form = await laptop.get(apps[0], '/register');
      const registered = await laptop.post(apps[0], '/register', {
        email,
        password: PASSWORD,
        displayName: 'Owen Owner',
        _csrf: hiddenField(form.text, '_csrf'),
      });
      expect(registered.status).toBe(303);
      const phone = new RoamingBrowser();
      expect((await logIn(phone, apps[1], email)).status).toBe(303);
      const [laptopSession, phoneSession] = await sessionIds(email);
      expect(await inRedis(phoneSession)).toBe(true);

      const page = await laptop.get(apps[2], '/account');
      const rows = [...page.text.matchAll(/data-session="(\d+)"/g)].map((match) => match[1]);
      expect(rows).toHaveLength(2);
      const phoneRow = rows.find(
        (id) =>
          !new RegExp(`data-session="${id}">(?:(?!</tr>)[\\s\\S])*Log out here`).test(page.text),
      )!;
      const ended = await laptop.post(apps[3], `/account/sessions/${phoneRow}/end`, {
        _csrf: hiddenField(page.text, '_csrf'),
      });
      expect(ended.status).toBe(303);
      expect(await loggedInEverywhere(phone)).toBe(false);
      expect(await inRedis(phoneSession)).toBe(false);
      expect(await loggedInEverywhere(laptop)).toBe(true);
      expect(await inRedis(laptopSession)).toBe(true);
    });

    it('a password reset through one process ends every session of the account, in Redis too', async () => {
      const email = `resetter-${randomUUID()}@example.com`;
      const first = new RoamingBrowser();
      const form = await first.get(apps[1], '/register');
      await first.post(apps[1], '/register', {
        email,
        password: PASSWORD,
        displayName: 'Rita Resetter',
        _csrf: hiddenField(form.text, '_csrf'),
      });
      const second = new RoamingBrowser();
      await logIn(second, apps[2], email);
      const sessions = await sessionIds(email);
      expect(sessions).toHaveLength(2);

      const visitor = new RoamingBrowser();
      const forgot = await visitor.get(apps[3], '/forgot-password');
      await visitor.post(apps[3], '/forgot-password', {
        email,
        _csrf: hiddenField(forgot.text, '_csrf'),
      });
      const [{ id }] = await apps[0].sql<{ id: number }[]>(
        'SELECT t.id FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ?',
        [email],
      );
      const { path } = (await apps[0].app.get(AccountTokensService).mailFor(id))!;
      const resetForm = await visitor.get(apps[0], path);
      const reset = await visitor.post(apps[1], '/reset-password', {
        token: hiddenField(resetForm.text, 'token'),
        password: 'an entirely new passphrase',
        _csrf: hiddenField(resetForm.text, '_csrf'),
      });
      expect(reset.status).toBe(303);
      expect(await loggedInEverywhere(first)).toBe(false);
      expect(await loggedInEverywhere(second)).toBe(false);
      for (const session of sessions) expect(await inRedis(session)).toBe(false);
      expect(
        (await logIn(new RoamingBrowser(), apps[2], email, 'an entirely new passphrase')).headers
          .location,
      ).toBe('/organiser');
    });
  });
});
