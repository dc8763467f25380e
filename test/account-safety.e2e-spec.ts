import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { decodeQuotedPrintable } from './support/quoted-printable';
import {
  Browser,
  register,
  startTestApp,
  TestApp,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'purple staple lantern';
const TOKEN = /token=([1-9][0-9]*\.[A-Za-z0-9_-]{43})/;

/*
 * Account safety (PRODUCT.md "Teams and accounts"): a forgotten password is reset by a mailed
 * single-use link, which ends every session of the account; the owner changes password and
 * address on /account, and sees and ends the account's sessions there.
 */
describe('account safety', () => {
  let testApp: TestApp;
  let outboxDir: string;

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'account-outbox-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
  });
  afterAll(async () => {
    await testApp.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  /** The account mails of `kind` written to `recipient`, oldest first. */
  const mailsTo = (recipient: string, kind: string) =>
    readdirSync(outboxDir)
      .filter((name) => name.endsWith(`-account.${kind}.eml`))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
      .filter((text) => text.includes(`To: `) && text.toLowerCase().includes(recipient));
  const tokenMailedTo = async (recipient: string, kind: string, count = 1) => {
    const mails = await eventually(
      () => (mailsTo(recipient, kind).length >= count ? mailsTo(recipient, kind) : undefined),
      `${count} ${kind} mail(s) to ${recipient}`,
    );
    return TOKEN.exec(mails[count - 1])![1];
  };

  const logIn = async (email: string, password = PASSWORD) => {
    const browser = testApp.browser();
    const res = await browser.submit('/login', { email, password });
    return { browser, loggedIn: res.headers.location === '/organiser' };
  };
  const isLoggedIn = async (browser: Browser) => (await browser.get('/organiser')).status === 200;
  const requestReset = (email: string, browser = testApp.browser()) =>
    browser.submit('/forgot-password', { email }, '/forgot-password');
  const reset = (token: string, password = NEW_PASSWORD, browser = testApp.browser()) =>
    browser.submit('/reset-password', { token, password }, '/forgot-password');
  const accountOf = async (email: string) =>
    (await testApp.sql<{ id: number }[]>('SELECT id FROM users WHERE email = ?', [email]))[0];
  const newAccount = async () => {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail('owner'));
    return { browser, email };
  };

  describe('a forgotten password', () => {
    it('answers the same whether or not the account exists, and mails only an account', async () => {
      const { email } = await newAccount();
      const stranger = uniqueEmail('nobody');
      const known = await requestReset(email);
      const unknown = await requestReset(stranger);
      expect([known.status, unknown.status]).toEqual([200, 200]);
      expect(known.text.replace(email, 'ADDRESS')).toBe(unknown.text.replace(stranger, 'ADDRESS'));
      expect(known.text).toContain('data-reset-requested');
      await tokenMailedTo(email, 'password_reset');
      expect(mailsTo(stranger, 'password_reset')).toEqual([]);
    });

    it('refuses a malformed address at its field, 422, the value kept', async () => {
      for (const email of ['not an address', '', 'a@b', 'x'.repeat(250) + '@example.com']) {
        const res = await requestReset(email);
        expect(res.status).toBe(422);
        expect(res.text).toMatch(/id="email-error"/);
      }
      const res = await requestReset('"quoted"@example.com');
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="&quot;quoted&quot;@example.com"');
    });

    it('resets with the link once, logs the account out everywhere, and the new password works', async () => {
      const { browser: registered, email } = await newAccount();
      const { browser: elsewhere } = await logIn(email);
      expect(await isLoggedIn(registered)).toBe(true);
      expect(await isLoggedIn(elsewhere)).toBe(true);
      await requestReset(email);
      const token = await tokenMailedTo(email, 'password_reset');

      const form = await testApp.browser().get(`/reset-password?token=${token}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain(`name="token" value="${token}"`);
      const done = await reset(token);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login');

      expect(await isLoggedIn(registered)).toBe(false);
      expect(await isLoggedIn(elsewhere)).toBe(false);
      expect((await logIn(email, PASSWORD)).loggedIn).toBe(false);
      expect((await logIn(email, NEW_PASSWORD)).loggedIn).toBe(true);

      // Used: refused on the page and when posted again.
      const again = await reset(token, 'another fine password');
      expect(again.status).toBe(400);
      expect(again.text).toContain('data-link-invalid');
      expect((await testApp.browser().get(`/reset-password?token=${token}`)).status).toBe(400);
      expect((await logIn(email, NEW_PASSWORD)).loggedIn).toBe(true);
    });

    it("refuses an expired link, another account's, a guessed one and garbage", async () => {
      const { email } = await newAccount();
      const { email: otherEmail } = await newAccount();
      await requestReset(email);
      const token = await tokenMailedTo(email, 'password_reset');
      await requestReset(otherEmail);
      const otherToken = await tokenMailedTo(otherEmail, 'password_reset');
      const [id, mac] = token.split('.');
      const [otherId] = otherToken.split('.');

      const guessed = `${id}.${randomBytes(32).toString('base64url')}`;
      const swapped = `${otherId}.${mac}`;
      for (const bad of [guessed, swapped, 'garbage', '', `${id}.${mac}x`]) {
        const res = await reset(bad);
        expect(res.status).toBe(400);
        expect(res.text).toContain('data-link-invalid');
      }
      // A link that does not work is said first, even with a password refused for its account.
      const weakToo = await reset(guessed, email);
      expect(weakToo.status).toBe(400);
      expect(weakToo.text).toContain('data-link-invalid');
      await writeSql(testApp, 'UPDATE account_tokens SET expires_at = ? WHERE id = ?', [
        timestampParam(testApp, new Date(Date.now() - 1000)),
        Number(id),
      ]);
      expect((await reset(token)).status).toBe(400);
      expect((await logIn(email, PASSWORD)).loggedIn).toBe(true);
      expect((await logIn(otherEmail, PASSWORD)).loggedIn).toBe(true);
    });

    it('refuses a weak new password at its field, keeping the link usable', async () => {
      const { email } = await newAccount();
      await requestReset(email);
      const token = await tokenMailedTo(email, 'password_reset');
      for (const [password, message] of [
        ['short', /10 to 256 characters/],
        ['password123', /most common/],
        [email, /not be your email/],
      ] as const) {
        const res = await reset(token, password);
        expect(res.status).toBe(422);
        expect(res.text).toMatch(message);
        expect(res.text).toContain(`name="token" value="${token}"`);
        expect(res.text).not.toContain(`value="${password}"`);
      }
      expect((await reset(token)).status).toBe(303);
    });

    it('sends at most three links an hour to one account, answering every request the same', async () => {
      const { email } = await newAccount();
      for (let i = 0; i < 5; i++) expect((await requestReset(email)).status).toBe(200);
      await tokenMailedTo(email, 'password_reset', 3);
      const { id } = await accountOf(email);
      const rows = await testApp.sql<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM account_tokens WHERE user_id = ?',
        [id],
      );
      expect(Number(rows[0].n)).toBe(3);
    });

    it('a hundred resets of one link at once: exactly one succeeds', async () => {
      const { email } = await newAccount();
      await requestReset(email);
      const token = await tokenMailedTo(email, 'password_reset');
      const browsers = Array.from({ length: 100 }, () => testApp.browser());
      const csrf = await Promise.all(
        browsers.map((browser) => browser.csrfToken('/forgot-password')),
      );
      const results = await Promise.all(
        browsers.map((browser, i) =>
          browser.post('/reset-password', {
            token,
            password: `${NEW_PASSWORD} ${i}`,
            _csrf: csrf[i],
          }),
        ),
      );
      const statuses = results.map((res) => res.status);
      expect(statuses.filter((status) => status === 303)).toHaveLength(1);
      expect(statuses.filter((status) => status === 400)).toHaveLength(99);
      const winner = statuses.indexOf(303);
      expect((await logIn(email, `${NEW_PASSWORD} ${winner}`)).loggedIn).toBe(true);
    });
  });

  describe('/account', () => {
    it('is for logged-in users only', async () => {
      const res = await testApp.browser().get('/account');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('changes the password given the current one; the other sessions end, this one stays', async () => {
      const { browser, email } = await newAccount();
      const { browser: elsewhere } = await logIn(email);
      const change = (fields: Record<string, string>) =>
        browser.submit('/account/password', fields, '/account');

      const wrong = await change({ currentPassword: 'not my password', newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toMatch(
        /id="currentPassword-error"[^>]*>This is not your current password/,
      );
      const weak = await change({ currentPassword: PASSWORD, newPassword: 'short' });
      expect(weak.status).toBe(422);
      expect(weak.text).toMatch(/id="newPassword-error"/);
      expect(weak.text).not.toContain(PASSWORD);
      // Each field shows its most basic complaint first.
      const empty = await change({});
      expect(empty.text).toMatch(/id="currentPassword-error"[^>]*>Enter your current password</);
      expect(empty.text).toMatch(/id="newPassword-error"[^>]*>Choose a password</);
      expect(await isLoggedIn(elsewhere)).toBe(true);

      const done = await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(done.status).toBe(303);
      expect(await isLoggedIn(browser)).toBe(true);
      expect(await isLoggedIn(elsewhere)).toBe(false);
      expect((await logIn(email, NEW_PASSWORD)).loggedIn).toBe(true);
    });

    it('changes the address once the new one confirms it by its link', async () => {
      const { browser, email } = await newAccount();
      const { email: takenEmail } = await newAccount();
      const newEmail = uniqueEmail('moved');
      const change = (fields: Record<string, string>) =>
        browser.submit('/account/email', fields, '/account');

      expect((await change({ email: newEmail, password: 'wrong password' })).status).toBe(422);
      const taken = await change({ email: takenEmail, password: PASSWORD });
      expect(taken.status).toBe(409);
      expect(taken.text).toMatch(/id="email-error"[^>]*>An account with this email/);
      expect((await change({ email: 'no address', password: PASSWORD })).status).toBe(422);

      expect((await change({ email: newEmail, password: PASSWORD })).status).toBe(303);
      const token = await tokenMailedTo(newEmail, 'email_change');
      expect(mailsTo(email, 'email_change')).toEqual([]);

      // Following the link only shows a button: a mail scanner's visit changes nothing.
      const page = await testApp.browser().get(`/account/confirm-email?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(newEmail);
      expect(await accountOf(email)).toBeDefined();

      const confirm = await browser.submit('/account/confirm-email', { token }, '/account');
      expect(confirm.status).toBe(303);
      expect(await accountOf(email)).toBeUndefined();
      expect((await browser.get('/account')).text).toContain(`data-account-email>${newEmail}<`);
      expect((await logIn(newEmail)).loggedIn).toBe(true);
      expect((await logIn(email)).loggedIn).toBe(false);
      const again = await browser.submit('/account/confirm-email', { token }, '/account');
      expect(again.status).toBe(400);
    });

    it('lists the sessions of the account and ends any of them', async () => {
      const { browser, email } = await newAccount();
      const { browser: phone } = await logIn(email);
      const page = await browser.get('/account');
      const sessions = [...page.text.matchAll(/data-session="(\d+)"/g)].map((match) => match[1]);
      expect(sessions).toHaveLength(2);
      expect(page.text).toContain('Log out here');

      const other = sessions.find(
        (id) =>
          !new RegExp(`data-session="${id}">(?:(?!</tr>)[\\s\\S])*Log out here`).test(page.text),
      )!;
      const ended = await browser.submit(`/account/sessions/${other}/end`, {}, '/account');
      expect(ended.status).toBe(303);
      expect(await isLoggedIn(phone)).toBe(false);
      expect(await isLoggedIn(browser)).toBe(true);
      const after = await browser.get('/account');
      expect([...after.text.matchAll(/data-session="(\d+)"/g)]).toHaveLength(1);

      // Someone else's session, or one already ended: 404.
      const { browser: stranger } = await newAccount();
      expect(
        (await stranger.submit(`/account/sessions/${sessions[0]}/end`, {}, '/account')).status,
      ).toBe(404);
      expect((await browser.submit(`/account/sessions/${other}/end`, {}, '/account')).status).toBe(
        404,
      );

      const mine = /data-session="(\d+)"/.exec(after.text)![1];
      const out = await browser.submit(`/account/sessions/${mine}/end`, {}, '/account');
      expect(out.headers.location).toBe('/');
      expect(await isLoggedIn(browser)).toBe(false);
    });

    it('logging out ends the login in the list too', async () => {
      const { browser, email } = await newAccount();
      const { browser: laptop } = await logIn(email);
      await laptop.submit('/logout', {}, '/account');
      const page = await browser.get('/account');
      expect([...page.text.matchAll(/data-session="(\d+)"/g)]).toHaveLength(1);
    });
  });
});
