import request from 'supertest';
import {
  Browser,
  createApiToken,
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

  describe('purchases', () => {
    it('are not limited by default: 150 purchases from one address all go through', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 1000 }],
      });
      const buyer = testApp.browser();
      const page = await buyer.get(`/buy-tickets/${eventId}`);
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const statuses = await Promise.all(
        Array.from({ length: 150 }, () =>
          buyer
            .post(`/purchase/${eventId}`, {
              _csrf,
              attendeeName: 'Group Buyer',
              attendeeEmail: 'group@example.com',
              [`quantities[${ticketTypeIds[0]}]`]: 1,
            })
            .then((res) => res.status),
        ),
      );
      expect(statuses.filter((status) => status !== 303)).toEqual([]);
    });

    it('can be limited per address with PURCHASES_PER_IP_PER_MINUTE', async () => {
      const limited = await startTestApp({ PURCHASES_PER_IP_PER_MINUTE: '3' });
      try {
        const { eventId, ticketTypeIds } = await insertEvent(limited, {
          ticketTypes: [{ capacity: 100 }],
        });
        const buyer = limited.browser();
        const page = await buyer.get(`/buy-tickets/${eventId}`);
        const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await buyer.post(`/purchase/${eventId}`, {
            _csrf,
            attendeeName: 'Scalper',
            attendeeEmail: 'scalper@example.com',
            [`quantities[${ticketTypeIds[0]}]`]: 1,
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([303, 303, 303, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
