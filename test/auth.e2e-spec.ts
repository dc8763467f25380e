import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  Browser,
  FormFields,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';

const PASSWORD = 'correct horse battery';

type Res = { status: number; headers: Record<string, unknown>; text: string };

/** `boxoffice.sid=…` from a response's Set-Cookie header, ready to send back in a Cookie header. */
function sessionCookie(res: Res): string | undefined {
  const setCookie = res.headers['set-cookie'] as string[] | string | undefined;
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((cookie) => cookie.startsWith('boxoffice.sid='))?.split(';')[0];
}

function fieldError(html: string, field: string): string | undefined {
  const match = new RegExp(`id=["']${field}-error["'][^>]*>([^<]*)<`).exec(html);
  return match?.[1];
}

function inputValue(html: string, field: string): string | undefined {
  const input = new RegExp(`<input[^>]*name=["']${field}["'][^>]*>`).exec(html)?.[0];
  return input ? /value=["']([^"']*)["']/.exec(input)?.[1] : undefined;
}

describe('authentication', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const userCount = async () =>
    Number((await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM users'))[0].n);

  const userRow = async (email: string) =>
    (
      await testApp.sql<{ email: string; password_hash: string; role: string }[]>(
        'SELECT email, password_hash, role FROM users WHERE email = ?',
        [email],
      )
    )[0];

  /** Posts the register form with exactly these fields plus this session's CSRF token. */
  async function postRegister(browser: Browser, fields: FormFields) {
    const _csrf = await browser.csrfToken('/register');
    return browser.post('/register', { ...fields, _csrf });
  }

  async function login(
    browser: Browser,
    email: string,
    password = PASSWORD,
    extra: FormFields = {},
  ) {
    return browser.submit('/login', { email, password, ...extra });
  }

  describe('pages', () => {
    it.each(['/login', '/register', '/auth-fail'])('renders %s with 200', async (path) => {
      const res = await testApp.browser().get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });

    it('puts a CSRF token in the login and register forms', async () => {
      const browser = testApp.browser();
      for (const path of ['/login', '/register']) {
        const page = await browser.get(path);
        expect(page.text).toMatch(/name="_csrf" value="[^"]{16,}"/);
      }
    });

    it('offers a way back from the auth-fail page', async () => {
      const res = await testApp.browser().get('/auth-fail');
      expect(res.text).toMatch(/href=["']\/login["']/);
    });

    it('carries a same-site next path into the login form', async () => {
      const res = await testApp.browser().get('/login?next=/create-event');
      expect(res.text).toMatch(/name="next" value="\/create-event"/);
    });

    it('drops an off-site next path from the login form', async () => {
      const res = await testApp.browser().get('/login?next=//evil.example');
      expect(res.text).not.toContain('evil.example');
    });
  });

  describe('registration', () => {
    // Runs first in this file, on the empty database of this app.
    it('makes the first account ever an admin and the second an organiser', async () => {
      expect(await userCount()).toBe(0);
      const first = await register(testApp.browser(), uniqueEmail('first'));
      const second = await register(testApp.browser(), uniqueEmail('second'));
      expect((await userRow(first)).role).toBe('admin');
      expect((await userRow(second)).role).toBe('organiser');
    });

    it('creates the account, logs in and redirects to /organiser with 303', async () => {
      const browser = testApp.browser();
      const email = uniqueEmail('newcomer');
      const res = await postRegister(browser, {
        email,
        password: PASSWORD,
        displayName: 'Nora Newcomer',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      expect(await userRow(email)).toBeDefined();
      const dashboard = await browser.get('/organiser');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('Nora Newcomer');
    });

    it('stores the email lower-case and trimmed', async () => {
      const email = uniqueEmail('MixedCase').toUpperCase();
      const res = await postRegister(testApp.browser(), {
        email: `  ${email}  `,
        password: PASSWORD,
        displayName: 'Mia',
      });
      expect(res.status).toBe(303);
      expect(await userRow(email)).toBeUndefined();
      expect((await userRow(email.toLowerCase())).email).toBe(email.toLowerCase());
    });

    it('stores the password as an argon2id hash, never in plain text', async () => {
      const email = await register(testApp.browser(), uniqueEmail('hashed'));
      const row = await userRow(email);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('answers a duplicate email with 409, the form again with values kept and a message', async () => {
      const email = await register(testApp.browser(), uniqueEmail('taken'));
      const before = await userCount();
      const res = await postRegister(testApp.browser(), {
        email,
        password: PASSWORD,
        displayName: 'Second Comer',
      });
      expect(res.status).toBe(409);
      expect(inputValue(res.text, 'displayName')).toBe('Second Comer');
      expect(inputValue(res.text, 'email')).toBe(email);
      expect(fieldError(res.text, 'email')).toMatch(/already exists/);
      expect(await userCount()).toBe(before);
    });

    it('treats a duplicate email in another letter case as taken (409)', async () => {
      const email = await register(testApp.browser(), uniqueEmail('case'));
      const before = await userCount();
      const res = await postRegister(testApp.browser(), {
        email: email.toUpperCase(),
        password: PASSWORD,
        displayName: 'Shouty',
      });
      expect(res.status).toBe(409);
      expect(await userCount()).toBe(before);
    });

    it('never echoes the password back into a refused form', async () => {
      const res = await postRegister(testApp.browser(), {
        email: 'not-an-email',
        password: 'my secret passphrase',
        displayName: 'Pat',
      });
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('my secret passphrase');
    });

    const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(59)}.com`;
    const badValues: {
      field: 'email' | 'password' | 'displayName';
      case: string;
      fields: Record<string, string | undefined>;
    }[] = [
      { field: 'email', case: 'empty', fields: { email: '' } },
      { field: 'email', case: 'missing', fields: { email: undefined } },
      { field: 'email', case: 'not an address', fields: { email: 'not-an-email' } },
      { field: 'email', case: 'longer than 254 characters', fields: { email: longEmail } },
      {
        field: 'email',
        case: 'an array',
        fields: { email: undefined, 'email[0]': 'ann@example.com' },
      },
      { field: 'email', case: 'containing NUL', fields: { email: 'ann\u0000x@example.com' } },
      {
        field: 'email',
        case: 'containing a control character',
        fields: { email: 'ann\u0007@example.com' },
      },
      { field: 'password', case: 'empty', fields: { password: '' } },
      { field: 'password', case: 'missing', fields: { password: undefined } },
      { field: 'password', case: 'weak: 9 characters', fields: { password: 'abcdefgh9' } },
      { field: 'password', case: '257 characters', fields: { password: 'p'.repeat(257) } },
      { field: 'password', case: 'a common one', fields: { password: 'Password123' } },
      {
        field: 'password',
        case: 'the email itself',
        fields: { email: 'same.as.password@example.com', password: 'Same.As.Password@example.com' },
      },
      {
        field: 'password',
        case: 'an array',
        fields: { password: undefined, 'password[0]': PASSWORD },
      },
      {
        field: 'password',
        case: 'containing NUL',
        fields: { password: 'correct\u0000horse battery' },
      },
      {
        field: 'password',
        case: 'containing ESC',
        fields: { password: 'correct\u001bhorse battery' },
      },
      { field: 'displayName', case: 'empty', fields: { displayName: '' } },
      { field: 'displayName', case: 'only spaces', fields: { displayName: '    ' } },
      { field: 'displayName', case: 'missing', fields: { displayName: undefined } },
      { field: 'displayName', case: '101 characters', fields: { displayName: 'n'.repeat(101) } },
      {
        field: 'displayName',
        case: 'an array',
        fields: { displayName: undefined, 'displayName[0]': 'x' },
      },
      { field: 'displayName', case: 'containing NUL', fields: { displayName: 'Ann\u0000' } },
      { field: 'displayName', case: 'containing ESC', fields: { displayName: 'Ann\u001b[31m' } },
      {
        field: 'displayName',
        case: 'containing a backspace',
        fields: { displayName: 'An\u0008n' },
      },
    ];

    it.each(badValues)(
      'refuses $field $case with 422, a message at the field and no account',
      async ({ field, fields }) => {
        const before = await userCount();
        const email = uniqueEmail('refused');
        const posted = Object.fromEntries(
          Object.entries({
            email,
            password: PASSWORD,
            displayName: 'Rita Refused',
            ...fields,
          }).filter(([, value]) => value !== undefined),
        ) as FormFields;
        const browser = testApp.browser();
        const res = await postRegister(browser, posted);
        expect(res.status).toBe(422);
        expect(fieldError(res.text, field)).toBeTruthy();
        expect(await userCount()).toBe(before);
        expect((await browser.get('/organiser')).status).toBe(303);
      },
    );

    it('keeps the valid values in a form refused for another field', async () => {
      const email = uniqueEmail('kept');
      const res = await postRegister(testApp.browser(), {
        email,
        password: 'short',
        displayName: 'Kim Kept',
      });
      expect(res.status).toBe(422);
      expect(inputValue(res.text, 'email')).toBe(email);
      expect(inputValue(res.text, 'displayName')).toBe('Kim Kept');
      expect(fieldError(res.text, 'password')).toMatch(/10/);
    });

    it('shows HTML typed into the display name escaped when the form is re-rendered', async () => {
      const res = await postRegister(testApp.browser(), {
        email: 'nope',
        password: PASSWORD,
        displayName: '"><script>alert(1)</script>',
      });
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('&lt;script&gt;');
    });
  });

  describe('login', () => {
    let email: string;

    beforeAll(async () => {
      email = await register(testApp.browser(), uniqueEmail('login'), 'Lena Login');
    });

    it('logs in with good credentials and redirects to /organiser with 303', async () => {
      const browser = testApp.browser();
      const res = await login(browser, email);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      const dashboard = await browser.get('/organiser');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('Lena Login');
    });

    it('accepts the email in any letter case', async () => {
      const res = await login(testApp.browser(), email.toUpperCase());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
    });

    it('redirects to a same-site next path after login', async () => {
      const res = await login(testApp.browser(), email, PASSWORD, { next: '/create-event' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/create-event');
    });

    it.each([
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      'evil.example',
    ])('ignores next=%j and redirects to /organiser (no open redirect)', async (next) => {
      const res = await login(testApp.browser(), email, PASSWORD, { next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
    });

    it('sends a wrong password to /auth-fail with 303 and stays logged out', async () => {
      const browser = testApp.browser();
      const res = await login(browser, email, 'wrong password!!');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth-fail');
      expect((await browser.get('/organiser')).status).toBe(303);
    });

    it('sends an unknown email to /auth-fail with 303', async () => {
      const res = await login(testApp.browser(), uniqueEmail('nobody'));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth-fail');
    });

    it('sends a login without a password to /auth-fail', async () => {
      const browser = testApp.browser();
      const _csrf = await browser.csrfToken();
      const res = await browser.post('/login', { email, _csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth-fail');
    });

    it.each([
      ['email as an array', (e: string) => ({ 'email[0]': e, password: PASSWORD })],
      ['password as an array', (e: string) => ({ email: e, 'password[0]': PASSWORD })],
      ['email with NUL', (e: string) => ({ email: `${e}\u0000`, password: PASSWORD })],
    ])('refuses %s without a server error', async (_case, fields) => {
      const browser = testApp.browser();
      const _csrf = await browser.csrfToken();
      const res = await browser.post('/login', { ...fields(email), _csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth-fail');
      expect((await browser.get('/organiser')).status).toBe(303);
    });

    it('gives a visitor no session before the login, so there is none to fix', async () => {
      const browser = testApp.browser();
      expect(sessionCookie(await browser.get('/login'))).toBeUndefined();
      expect(sessionCookie(await login(browser, email))).toBeDefined();
    });

    it('gives the session a new id at login (no session fixation)', async () => {
      const browser = testApp.browser();
      const before = sessionCookie(await login(browser, email));
      const after = sessionCookie(await login(browser, email));
      expect(before).toBeDefined();
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    });

    it('does not log in whoever holds the session id from before the login', async () => {
      const browser = testApp.browser();
      const before = sessionCookie(await login(browser, email))!;
      await login(browser, email);
      const replay = await request(testApp.app.getHttpServer())
        .get('/organiser')
        .set('Cookie', before);
      expect(replay.status).toBe(303);
      expect(replay.headers.location).toMatch(/^\/login/);
    });

    it('marks the session cookie HttpOnly and SameSite=Lax', async () => {
      const res = await login(testApp.browser(), email);
      const setCookie = (res.headers['set-cookie'] as unknown as string[]).find((cookie) =>
        cookie.startsWith('boxoffice.sid='),
      );
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
    });
  });

  describe('logout', () => {
    let email: string;

    beforeAll(async () => {
      email = await register(testApp.browser(), uniqueEmail('logout'));
    });

    it('redirects to / with 303', async () => {
      const browser = testApp.browser();
      await login(browser, email);
      const res = await browser.submit('/logout', {}, '/organiser');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    });

    it('leaves the browser logged out: /organiser redirects to /login', async () => {
      const browser = testApp.browser();
      await login(browser, email);
      await browser.submit('/logout', {}, '/organiser');
      const res = await browser.get('/organiser');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('destroys the session, so replaying the old cookie is not logged in', async () => {
      const browser = testApp.browser();
      const cookie = sessionCookie(await login(browser, email))!;
      await browser.submit('/logout', {}, '/organiser');
      const replay = await request(testApp.app.getHttpServer())
        .get('/organiser')
        .set('Cookie', cookie);
      expect(replay.status).toBe(303);
      expect(replay.headers.location).toMatch(/^\/login/);
    });

    it('deletes the session row from the sessions table', async () => {
      const browser = testApp.browser();
      const cookie = sessionCookie(await login(browser, email))!;
      const signed = decodeURIComponent(cookie.slice('boxoffice.sid='.length));
      const sid = signed.slice(2, signed.lastIndexOf('.'));
      const count = async () =>
        Number(
          (
            await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM sessions WHERE id = ?', [
              sid,
            ])
          )[0].n,
        );
      expect(await count()).toBe(1);
      await browser.submit('/logout', {}, '/organiser');
      expect(await count()).toBe(0);
    });
  });
});

describe('sessions across a restart', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boxoffice-auth-restart-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'restart.sqlite')}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a logged-in session valid after the app restarts on the same database', async () => {
    const first = await startTestApp(env);
    let cookie: string | undefined;
    try {
      const browser = first.browser();
      const _csrf = await browser.csrfToken('/register');
      const res = await browser.post('/register', {
        email: uniqueEmail('survivor'),
        password: PASSWORD,
        displayName: 'Sam Survivor',
        _csrf,
      });
      expect(res.status).toBe(303);
      cookie = sessionCookie(res);
    } finally {
      await first.close();
    }
    expect(cookie).toBeDefined();

    const second = await startTestApp(env);
    try {
      const res = await request(second.app.getHttpServer())
        .get('/organiser')
        .set('Cookie', cookie!);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Sam Survivor');
    } finally {
      await second.close();
    }
  });
});

describe('a failed login on the way to a page', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('keeps the page it was going to in the "Try again" link', async () => {
    const email = await register(testApp.browser());
    const browser = testApp.browser();
    const res = await browser.submit('/login', {
      email,
      password: 'not the password',
      next: '/create-event',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth-fail?next=%2Fcreate-event');
    const page = await browser.get(res.headers.location);
    // Handlebars escapes "=" in attribute values as &#x3D;, which browsers read back as "=".
    expect(page.text.replaceAll('&#x3D;', '=')).toContain('href="/login?next=%2Fcreate-event"');
  });

  it('drops a foreign next on the way through /auth-fail', async () => {
    const page = await testApp.browser().get('/auth-fail?next=//evil.example');
    expect(page.text).toContain('href="/login"');
    expect(page.text).not.toContain('evil.example');
  });
});
