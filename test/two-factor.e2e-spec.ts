import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import {
  Browser,
  createApiToken,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';

const PASSWORD = 'correct horse battery';

/*
 * Two-factor sign-in (PRODUCT.md "Teams and accounts"): TOTP enrolled on /account with a QR
 * code and the key as text, confirmed by a first code; ten single-use recovery codes; login
 * asks for a code on /login/2fa; every code is good once; wrong codes are throttled like
 * passwords; admins can require it for admins.
 */
describe('two-factor sign-in', () => {
  let testApp: TestApp;
  let admin: Browser;

  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_FAILURES_PER_ACCOUNT: '5' });
    admin = testApp.browser();
    await register(admin, uniqueEmail('admin'), 'Ada Admin');
  });
  afterAll(() => testApp.close());

  const codeOf = (secret: string, offsetSteps = 0) =>
    TOTP.generate({
      secret: Secret.fromBase32(secret),
      timestamp: Date.now() + offsetSteps * 30_000,
    });

  /** Turns two-factor sign-in on as a user would; the key typed off the page, the recovery codes kept. */
  async function enrol(browser: Browser) {
    const setup = await browser.submit('/account/2fa/setup', {}, '/account');
    expect(setup.status).toBe(200);
    const secret = /data-totp-secret>([A-Z2-7 ]+)</.exec(setup.text)![1].replace(/ /g, '');
    const done = await browser.submit('/account/2fa/enable', { code: codeOf(secret) }, '/account');
    expect(done.status).toBe(200);
    const codes = [...done.text.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map(
      (match) => match[1],
    );
    return { secret, codes };
  }

  async function newEnrolledAccount() {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail('careful'));
    return { email, ...(await enrol(browser)) };
  }

  /** The password step of a login: for an enrolled account it leads to /login/2fa. */
  async function password(email: string, browser = testApp.browser()) {
    const res = await browser.submit('/login', { email, password: PASSWORD });
    return { browser, location: res.headers.location };
  }
  const code = (browser: Browser, value: string) =>
    browser.submit('/login/2fa', { code: value }, '/login');
  const isLoggedIn = async (browser: Browser) => (await browser.get('/organiser')).status === 200;

  it('enrols with a QR code, the key as text and an otpauth URI, confirmed by a first code', async () => {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail('enrolling'));
    expect((await browser.get('/account')).text).toContain('data-two-factor="off"');
    const setup = await browser.submit('/account/2fa/setup', {}, '/account');
    const qr = await browser.get('/account/2fa/qr.svg');
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect((qr.body as Buffer).toString()).toMatch(/^<svg [^>]*viewBox/);
    expect((await testApp.browser().get('/account/2fa/qr.svg')).status).toBe(303);
    const secret = /data-totp-secret>([A-Z2-7 ]+)</.exec(setup.text)![1].replace(/ /g, '');
    expect(secret).toHaveLength(32);
    const uri = /data-totp-uri>([^<]+)</
      .exec(setup.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(uri).toContain(`otpauth://totp/`);
    expect(uri).toContain(encodeURIComponent(email));
    expect(uri).toContain(`secret=${secret}&algorithm=SHA1&digits=6&period=30`);

    for (const wrong of ['000000', 'abc', '']) {
      const refused = await browser.submit('/account/2fa/enable', { code: wrong }, '/account');
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/id="code-error"/);
      // The same key again, so the app already scanned still fits.
      expect(refused.text).toContain(secret.slice(0, 4));
    }
    const done = await browser.submit('/account/2fa/enable', { code: codeOf(secret) }, '/account');
    expect(done.status).toBe(200);
    const codes = [...done.text.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)];
    expect(new Set(codes.map((match) => match[1])).size).toBe(10);
    const account = await browser.get('/account');
    expect(account.text).toContain('data-two-factor="on"');
    expect(account.text).toMatch(/10 recovery codes left/);
    const [row] = await testApp.sql<{ totp_secret: string }[]>(
      'SELECT totp_secret FROM users WHERE email = ?',
      [email],
    );
    expect(row.totp_secret).not.toContain(secret);
  });

  it('asks for a code after the password; each code logs in once', async () => {
    const { email, secret } = await newEnrolledAccount();
    const { browser, location } = await password(email);
    expect(location).toBe('/login/2fa');
    expect(await isLoggedIn(browser)).toBe(false);
    expect((await browser.get('/login/2fa')).status).toBe(200);

    const wrong = await code(browser, '123456');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/That code is not right/);
    // The code that confirmed the enrolment was used.
    expect((await code(browser, codeOf(secret))).status).toBe(422);

    const next = codeOf(secret, 1);
    const ok = await code(browser, next);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/organiser');
    expect(await isLoggedIn(browser)).toBe(true);

    const { browser: again } = await password(email);
    expect((await code(again, next)).status).toBe(422);
    expect(await isLoggedIn(again)).toBe(false);
  });

  it('without a password first, /login/2fa leads back to the login', async () => {
    const browser = testApp.browser();
    expect((await browser.get('/login/2fa')).headers.location).toBe('/login');
    expect((await code(browser, '123456')).headers.location).toBe('/login');
  });

  it('takes a recovery code once', async () => {
    const { email, codes } = await newEnrolledAccount();
    const { browser } = await password(email);
    expect((await code(browser, codes[3].toLowerCase().replace('-', ' '))).status).toBe(303);
    expect(await isLoggedIn(browser)).toBe(true);
    expect((await browser.get('/account')).text).toMatch(/9 recovery codes left/);
    const { browser: again } = await password(email);
    expect((await code(again, codes[3])).status).toBe(422);
  });

  it('after SESSION_SECRET changed (the secret cannot be opened), codes are refused and recovery codes still work', async () => {
    const { email, secret, codes } = await newEnrolledAccount();
    await testApp.sql('UPDATE users SET totp_secret = ? WHERE email = ?', [
      'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA',
      email,
    ]);
    const { browser } = await password(email);
    expect((await code(browser, codeOf(secret, 1))).status).toBe(422);
    expect((await code(browser, codes[0])).status).toBe(303);
  });

  it('throttles wrong codes like wrong passwords: past five, 429 even for the right code', async () => {
    const { email, secret } = await newEnrolledAccount();
    const { browser } = await password(email);
    for (let i = 0; i < 5; i++) expect((await code(browser, String(100000 + i))).status).toBe(422);
    const refused = await code(browser, codeOf(secret, 1));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await isLoggedIn(browser)).toBe(false);
  });

  it('a hundred logins posting one code at once: exactly one gets in', async () => {
    // An app of its own without the per-account limit, so that every attempt reaches the code.
    const unthrottled = await startTestApp();
    try {
      const first = unthrottled.browser();
      const email = await register(first, uniqueEmail('raced'));
      const { secret } = await enrol(first);
      const browsers: Browser[] = [];
      for (let i = 0; i < 100; i++) {
        const browser = unthrottled.browser();
        expect((await password(email, browser)).location).toBe('/login/2fa');
        browsers.push(browser);
      }
      const token = codeOf(secret, 1);
      const csrf = await Promise.all(browsers.map((browser) => browser.csrfToken('/login')));
      const answers = await Promise.all(
        browsers.map((browser, i) => browser.post('/login/2fa', { code: token, _csrf: csrf[i] })),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.filter((status) => status === 303)).toHaveLength(1);
      expect(statuses.filter((status) => status === 422)).toHaveLength(99);
      const loggedIn = await Promise.all(browsers.map(isLoggedIn));
      expect(loggedIn.filter(Boolean)).toHaveLength(1);
    } finally {
      await unthrottled.close();
    }
  });

  it('turns off with a code, and logging in asks for the password only', async () => {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail('leaving'));
    const { codes } = await enrol(browser);
    const wrong = await browser.submit('/account/2fa/disable', { code: '000000' }, '/account');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="code-error"/);
    const off = await browser.submit('/account/2fa/disable', { code: codes[0] }, '/account');
    expect(off.status).toBe(303);
    expect((await browser.get('/account')).text).toContain('data-two-factor="off"');
    expect((await password(email)).location).toBe('/organiser');
    const [{ n }] = await testApp.sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = ?',
      [email],
    );
    expect(Number(n)).toBe(0);
  });

  it('admins can require it for admins: an admin without it reaches only /account until it is on', async () => {
    const token = await createApiToken(admin);
    const api = () => request(testApp.app.getHttpServer());
    const require2fa = (on: boolean) =>
      api()
        .put('/api/v1/settings')
        .set('Authorization', `Bearer ${token}`)
        .send({ requireTwoFactorForAdmins: on });
    const refused = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '', requireTwoFactorForAdmins: 'yes' },
      '/site-settings',
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="requireTwoFactorForAdmins-error"/);
    const ticked = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '', requireTwoFactorForAdmins: 'on' },
      '/site-settings',
    );
    expect(ticked.status).toBe(303);
    expect((await admin.get('/organiser')).headers.location).toBe('/account#two-factor');
    expect((await require2fa(false)).body.requireTwoFactorForAdmins).toBe(false);
    const set = await require2fa(true);
    expect(set.status).toBe(200);
    expect(set.body.requireTwoFactorForAdmins).toBe(true);
    expect((await require2fa('yes' as unknown as boolean)).status).toBe(400);
    try {
      const blocked = await admin.get('/site-settings');
      expect(blocked.status).toBe(303);
      expect(blocked.headers.location).toBe('/account#two-factor');
      expect((await admin.get('/account')).status).toBe(200);
      // Organisers are not asked; the API's tokens are not sessions.
      const organiser = testApp.browser();
      await register(organiser, uniqueEmail('organiser'));
      expect(await isLoggedIn(organiser)).toBe(true);
      expect(
        (await api().get('/api/v1/settings').set('Authorization', `Bearer ${token}`)).status,
      ).toBe(200);

      await enrol(admin);
      expect((await admin.get('/site-settings')).status).toBe(200);
    } finally {
      expect((await require2fa(false)).status).toBe(200);
    }
  });
});
