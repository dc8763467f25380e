import request from 'supertest';
import {
  Browser,
  createApiToken,
  eventFields,
  insertEvent,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';

const PASSWORD = 'correct horse battery';
/** The limits PRODUCT.md names (test apps otherwise run with them lifted). */
const PRODUCT_LIMITS = {
  LOGIN_FAILURES_PER_ACCOUNT: '5',
  AUTH_ATTEMPTS_PER_IP: '100',
  AUTH_WINDOW_MINUTES: '15',
  API_REQUESTS_PER_MINUTE: '600',
  PURCHASES_PER_IP_PER_MINUTE: '20',
  EVENTS_PER_ORGANISER_PER_HOUR: '60',
};

describe('rate limits', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(PRODUCT_LIMITS);
    await testApp.app.listen(0);
  });
  afterAll(() => testApp.close());

  async function login(browser: Browser, email: string, password: string) {
    const _csrf = await browser.csrfToken('/login');
    return browser.post('/login', { email, password, _csrf });
  }

  describe('failed logins per account', () => {
    it('refuses the 6th login within 15 minutes with 429 and Retry-After, even with the right password', async () => {
      const email = await register(testApp.browser());
      const attacker = testApp.browser();
      for (let i = 0; i < 5; i++) {
        const res = await login(attacker, email, `wrong guess ${i}`);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/auth-fail');
      }
      const owner = testApp.browser();
      const res = await login(owner, email, PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(14 * 60);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      expect(res.text).toContain(
        'Too many failed logins for this account. Please try again in 15 minutes.',
      );
      expect((await owner.get('/organiser')).status).toBe(303);
    });

    it('locks an unknown email the same way, so a lock-out does not reveal whether an account exists', async () => {
      const browser = testApp.browser();
      const email = uniqueEmail('nobody');
      for (let i = 0; i < 5; i++) expect((await login(browser, email, 'guess')).status).toBe(303);
      expect((await login(browser, email, 'guess')).status).toBe(429);
    });

    it('locks only that account: others log in from the same address', async () => {
      const locked = await register(testApp.browser());
      const browser = testApp.browser();
      for (let i = 0; i < 6; i++) await login(browser, locked, 'wrong');
      const other = await register(testApp.browser());
      const res = await login(testApp.browser(), other, PASSWORD);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
    });

    it('clears the count at a successful login', async () => {
      const email = await register(testApp.browser());
      const browser = testApp.browser();
      for (let i = 0; i < 4; i++) await login(browser, email, 'typo');
      expect((await login(testApp.browser(), email, PASSWORD)).headers.location).toBe('/organiser');
      for (let i = 0; i < 5; i++) {
        expect((await login(browser, email, 'typo')).headers.location).toBe('/auth-fail');
      }
    });

    it('does not count successful logins', async () => {
      const email = await register(testApp.browser());
      for (let i = 0; i < 8; i++) {
        const res = await login(testApp.browser(), email, PASSWORD);
        expect(res.headers.location).toBe('/organiser');
      }
    });

    it('counts 20 simultaneous wrong guesses at once: only 5 get a password check', async () => {
      const email = await register(testApp.browser());
      const browsers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const browser = testApp.browser();
          return { browser, csrf: await browser.csrfToken('/login') };
        }),
      );
      const statuses = await Promise.all(
        browsers.map(({ browser, csrf }, i) =>
          browser
            .post('/login', { email, password: `guess ${i}`, _csrf: csrf })
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((status) => status === 303)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    });
  });

  describe('attempts per IP address', () => {
    it('answers the 101st login or register attempt (together) from one address within 15 minutes with 429', async () => {
      const fresh = await startTestApp(PRODUCT_LIMITS);
      try {
        const browser = fresh.browser();
        const _csrf = await browser.csrfToken('/register');
        const tooShort = { email: 'x@example.com', password: 'short', displayName: 'X', _csrf };
        for (let i = 0; i < 50; i++) {
          expect((await browser.post('/register', tooShort)).status).toBe(422);
          const login = { email: `nobody-${i}@example.com`, password: 'wrong guess', _csrf };
          expect((await browser.post('/login', login)).status).toBe(303);
        }
        const res = await browser.post('/register', tooShort);
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.text).toContain('Too many requests.');
        // Other pages are not limited.
        expect((await browser.get('/attendee')).status).toBe(200);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('the API', () => {
    it('answers the 601st request of a token within a minute with a 429 problem+json; other tokens go on', async () => {
      const fresh = await startTestApp(PRODUCT_LIMITS);
      try {
        const freshAdmin = fresh.browser();
        await register(freshAdmin);
        const [busy, quiet] = [
          await createApiToken(freshAdmin, 'busy'),
          await createApiToken(freshAdmin, 'quiet'),
        ];
        const server = fresh.app.getHttpServer();
        await fresh.app.listen(0);
        for (let i = 0; i < 600; i++) {
          const res = await request(server)
            .get('/api/v1/settings')
            .set('Authorization', `Bearer ${busy}`);
          expect(res.status).toBe(200);
        }
        const limited = await request(server)
          .get('/api/v1/settings')
          .set('Authorization', `Bearer ${busy}`);
        expect(limited.status).toBe(429);
        expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
        const other = await request(server)
          .get('/api/v1/settings')
          .set('Authorization', `Bearer ${quiet}`);
        expect(other.status).toBe(200);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('event creations', () => {
    it('answers an organiser’s 61st event within an hour with 429 and Retry-After, creating nothing more; an admin goes on', async () => {
      const shop = await startTestApp(PRODUCT_LIMITS);
      try {
        const admin = shop.browser();
        await register(admin, uniqueEmail('admin')); // the first account: the admin
        const organiser = shop.browser();
        await register(organiser, uniqueEmail('prolific'));
        const csrf = await organiser.csrfToken('/create-event');
        const create = (browser: Browser, _csrf: string) =>
          browser.post('/create-event', { ...eventFields(), _csrf }).then((res) => res);
        const statuses: number[] = [];
        for (let i = 0; i < 60; i++) statuses.push((await create(organiser, csrf)).status);
        expect(statuses.filter((status) => status !== 303)).toEqual([]);
        const refused = await create(organiser, csrf);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
        const [{ n }] = await shop.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM events');
        expect(Number(n)).toBe(60);
        const adminCsrf = await admin.csrfToken('/create-event');
        expect((await create(admin, adminCsrf)).status).toBe(303);
      } finally {
        await shop.close();
      }
    });
  });

  describe('purchases and attendee cancellations', () => {
    // A shop of its own per test: the count is per address, and every test comes from 127.0.0.1.
    let shop: TestApp;
    beforeEach(async () => {
      shop = await startTestApp(PRODUCT_LIMITS);
    });
    afterEach(() => shop.close());

    /** A buyer with the buy form open: `buy` posts it once. */
    async function buyerOf(eventId: number, ticketTypeId: number, browser = shop.browser()) {
      const page = await browser.get(`/buy-tickets/${eventId}`);
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const buy = () =>
        browser.post(`/purchase/${eventId}`, {
          _csrf,
          attendeeName: 'Scalper',
          attendeeEmail: 'scalper@example.com',
          [`quantities[${ticketTypeId}]`]: 10,
        });
      return { browser, _csrf, buy };
    }
    const sold = async (eventId: number) =>
      Number(
        (
          await shop.sql<{ sold: number }[]>('SELECT sold FROM ticket_types WHERE event_id = ?', [
            eventId,
          ])
        )[0].sold,
      );

    it('answers the 21st purchase from one address within a minute with 429 and Retry-After, booking nothing more', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(shop, {
        ticketTypes: [{ capacity: 100_000 }],
      });
      const hoarder = await buyerOf(eventId, ticketTypeIds[0]);
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await hoarder.buy()).status);
      expect(statuses.slice(0, 20).every((status) => status === 303)).toBe(true);
      const refused = await hoarder.buy();
      expect(statuses[20]).toBe(429);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await sold(eventId)).toBe(200);
    });

    it('counts attendee cancellations with purchases: buy and cancel in a loop stops at 20 together', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(shop, {
        ticketTypes: [{ capacity: 1000 }],
      });
      const looper = await buyerOf(eventId, ticketTypeIds[0]);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const bought = await looper.buy();
        statuses.push(bought.status);
        const reference = /ref=([0-9A-Z]{10})/.exec(String(bought.headers.location))?.[1];
        if (!reference) continue;
        const [{ secret }] = await shop.sql<{ secret: string }[]>(
          'SELECT secret FROM bookings WHERE reference = ?',
          [reference],
        );
        const cancelled = await looper.browser.post(`/booking/${reference}/cancel`, {
          _csrf: looper._csrf,
          secret,
        });
        statuses.push(cancelled.status);
      }
      expect(statuses.slice(0, 20).every((status) => status === 303)).toBe(true);
      expect(statuses[20]).toBe(429);
    });

    it('counts trying voucher codes on the buy form, so codes cannot be guessed, but not plain visits', async () => {
      const { eventId } = await insertEvent(shop, { ticketTypes: [{ capacity: 10 }] });
      const visitor = shop.browser();
      for (let i = 0; i < 30; i++)
        expect((await visitor.get(`/buy-tickets/${eventId}`)).status).toBe(200);
      const guesses: number[] = [];
      for (let i = 0; i < 21; i++)
        guesses.push((await visitor.get(`/buy-tickets/${eventId}?voucher=GUESS${i}`)).status);
      expect(guesses.slice(0, 20).every((status) => status === 200)).toBe(true);
      expect(guesses[20]).toBe(429);
    });

    it('lets a token through (the API has its own limit per token)', async () => {
      const admin = shop.browser();
      await register(admin, uniqueEmail('box-office')); // the shop's first account: its admin
      const token = await createApiToken(admin, 'box office');
      const { eventId, ticketTypeIds } = await insertEvent(shop, {
        ticketTypes: [{ capacity: 1000 }],
      });
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () =>
          request(shop.app.getHttpServer())
            .post(`/api/v1/events/${eventId}/bookings`)
            .set('Authorization', `Bearer ${token}`)
            .send({
              attendeeName: 'Door Sale',
              attendeeEmail: 'door@example.com',
              items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
            })
            .then((res) => res.status),
        ),
      );
      expect(statuses.filter((status) => status !== 201)).toEqual([]);
    });

    it('is switched off with PURCHASES_PER_IP_PER_MINUTE=0 (a box office selling from one computer)', async () => {
      const unlimited = await startTestApp({ ...PRODUCT_LIMITS, PURCHASES_PER_IP_PER_MINUTE: '0' });
      try {
        const { eventId, ticketTypeIds } = await insertEvent(unlimited, {
          ticketTypes: [{ capacity: 1000 }],
        });
        const desk = unlimited.browser();
        const form = await desk.get(`/buy-tickets/${eventId}`);
        const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
        const statuses: number[] = [];
        for (let i = 0; i < 30; i++) {
          const res = await desk.post(`/purchase/${eventId}`, {
            _csrf,
            attendeeName: 'Walk-in',
            attendeeEmail: 'walk-in@example.com',
            [`quantities[${ticketTypeIds[0]}]`]: 1,
          });
          statuses.push(res.status);
        }
        expect(statuses.filter((status) => status !== 303)).toEqual([]);
      } finally {
        await unlimited.close();
      }
    });
  });
});
