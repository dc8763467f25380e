import type { Server } from 'node:http';
import request from 'supertest';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../src/configure-app';
import { SESSION_COOKIE } from '../src/common/http/session-cookie';
import { CSRF_COOKIE } from '../src/common/http/csrf.guard';
import { register, startTestApp, TestApp } from './support/test-app';

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((cookie) => cookie.startsWith(`${name}=`));
const sessionCookieOf = (res: request.Response) => cookieOf(res, SESSION_COOKIE);

/** Seconds from now until a Set-Cookie's Expires. */
const secondsLeft = (cookie: string) =>
  (Date.parse(/Expires=([^;]+)/.exec(cookie)![1]) - Date.now()) / 1000;

describe('security headers and cookies', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it.each(['/', '/attendee', '/login', '/register', '/no-such-page'])(
    'sends %s with a CSP without inline code, nosniff, no framing and no X-Powered-By',
    async (path) => {
      const res = await request(testApp.app.getHttpServer()).get(path);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // Plain HTTP stays plain: upgrading would break every asset on a LAN or staging host.
      expect(csp).not.toContain('upgrade-insecure-requests');
    },
  );

  it('lets only the API docs use inline styles (Swagger UI), never inline scripts', async () => {
    const res = await request(testApp.app.getHttpServer()).get('/api/docs');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('sends no HSTS over plain HTTP, and HSTS once cookies are Secure (behind HTTPS)', async () => {
    expect(
      (await request(testApp.app.getHttpServer()).get('/')).headers['strict-transport-security'],
    ).toBeUndefined();
    const https = await startTestApp({ TRUST_PROXY: 'true' });
    try {
      const res = await request(https.app.getHttpServer())
        .get('/login')
        .set('X-Forwarded-Proto', 'https');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(cookieOf(res, CSRF_COOKIE)).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it('gives a visitor no session: pages, forms included, store nothing on the server', async () => {
    const browser = testApp.browser();
    const sessionsBefore = await testApp.sql('SELECT id FROM sessions');
    for (const path of ['/', '/attendee', '/login', '/register', '/no-such-page']) {
      expect(sessionCookieOf(await browser.get(path))).toBeUndefined();
    }
    expect(await testApp.sql('SELECT id FROM sessions')).toEqual(sessionsBefore);
  });

  it('gives a form its CSRF token in an HttpOnly, SameSite=Strict cookie for the browser session', async () => {
    const cookie = cookieOf(await request(testApp.app.getHttpServer()).get('/login'), CSRF_COOKIE)!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/; Secure/);
    expect(cookie).not.toMatch(/; Expires=/);
  });

  it('keeps a login’s cookie to the end of the login, re-sent with every answer', async () => {
    const browser = testApp.browser();
    await register(browser);
    const first = sessionCookieOf(await browser.get('/organiser'))!;
    const again = sessionCookieOf(await browser.get('/attendee'))!;
    expect(again.split(';')[0]).toBe(first.split(';')[0]);
    expect(secondsLeft(again)).toBeGreaterThan(12 * 3600 - 60);
    expect(secondsLeft(again)).toBeLessThanOrEqual(12 * 3600);
  });

  it('gives a client 20 s for its headers and 30 s for its whole request', () => {
    const server = testApp.app.getHttpServer() as Server;
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect([HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS]).toEqual([20_000, 30_000]);
  });

  it('refuses a cross-site form post (no CSRF token) with 403 and changes nothing', async () => {
    const before = await testApp.sql('SELECT COUNT(*) AS n FROM users');
    const res = await request(testApp.app.getHttpServer())
      .post('/register')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ email: 'victim@example.com', password: 'correct horse battery', displayName: 'V' });
    expect(res.status).toBe(403);
    expect(await testApp.sql('SELECT COUNT(*) AS n FROM users')).toEqual(before);
  });

  describe('logged-in sessions', () => {
    /** Rewrites the stored session as if time had passed (the session store is the app's own table). */
    async function age(sid: string, field: 'lastSeenAt' | 'authenticatedAt', minutes: number) {
      const [row] = await testApp.sql<{ data: string }[]>(
        'SELECT data FROM sessions WHERE id = ?',
        [sid],
      );
      const data = JSON.parse(row.data) as Record<string, number>;
      data[field] -= minutes * 60_000;
      await testApp.sql('UPDATE sessions SET data = ? WHERE id = ?', [JSON.stringify(data), sid]);
    }
    /** The id of the browser's session, from the cookie its first page after login sets. */
    const sidOf = async (browser: ReturnType<TestApp['browser']>) => {
      const res = await browser.get('/organiser');
      expect(res.status).toBe(200);
      const value = decodeURIComponent(sessionCookieOf(res)!.split(';')[0].split('=')[1]);
      return value.slice('s:'.length, value.lastIndexOf('.'));
    };

    it('last 12 hours at most: the cookie says so', async () => {
      const browser = testApp.browser();
      await register(browser);
      const res = await browser.get('/organiser');
      const cookie = sessionCookieOf(res)!;
      expect(secondsLeft(cookie)).toBeGreaterThan(12 * 3600 - 60);
      expect(secondsLeft(cookie)).toBeLessThanOrEqual(12 * 3600);
    });

    it.each([
      ['after 30 minutes unused', 'lastSeenAt', 31],
      ['12 hours after login, however active', 'authenticatedAt', 12 * 60 + 1],
    ] as const)('end %s', async (_, field, minutes) => {
      const browser = testApp.browser();
      await register(browser);
      const sid = await sidOf(browser);
      await age(sid, field, minutes);
      const res = await browser.get('/organiser');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('go on when used within 30 minutes', async () => {
      const browser = testApp.browser();
      await register(browser);
      const sid = await sidOf(browser);
      await age(sid, 'lastSeenAt', 29);
      expect((await browser.get('/organiser')).status).toBe(200);
    });
  });
});
