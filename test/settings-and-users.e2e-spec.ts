import * as argon2 from 'argon2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// test-app (and with it AppModule) first: loading users.service.ts on its own first trips the
// Event <-> TicketType import cycle under SWC's CommonJS output.
import {
  Browser,
  createEvent,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';
import { UsersService } from '../src/auth/users.service';

const PASSWORD = 'correct horse battery';

type SettingsRow = { name: string; description: string };

function inputValue(html: string, field: string): string | undefined {
  const input = new RegExp(`<input[^>]*name=["']${field}["'][^>]*>`).exec(html)?.[0];
  return input ? /value=["']([^"']*)["']/.exec(input)?.[1] : undefined;
}

function textareaValue(html: string, field: string): string | undefined {
  return new RegExp(`<textarea[^>]*name=["']${field}["'][^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`id=["']${field}-error["'][^>]*>([^<]*)<`).exec(html)?.[1];
}

/** The site name as the header shows it (the brand link). */
function headerName(html: string): string | undefined {
  return /<a class="brand" href="\/">([^<]*)<\/a>/.exec(html)?.[1];
}

async function login(browser: Browser, email: string, password = PASSWORD) {
  return browser.submit('/login', { email, password });
}

describe('site settings and the users list', () => {
  let testApp: TestApp;
  let admin: Browser;
  let organiser: Browser;
  let adminEmail: string;
  let organiserEmail: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    adminEmail = await register(admin, uniqueEmail('admin'), 'Ada Admin');
    organiser = testApp.browser();
    organiserEmail = await register(organiser, uniqueEmail('olive'), 'Olive Organiser');
  });
  afterAll(() => testApp.close());

  const settingsRow = async () =>
    (await testApp.sql<SettingsRow[]>('SELECT name, description FROM site_settings'))[0];

  const saveSettings = (fields: Record<string, string>) =>
    admin.submit('/update-settings', fields, '/site-settings');

  describe('site settings', () => {
    it('shows the admin a form with the current name and description', async () => {
      const row = await settingsRow();
      const res = await admin.get('/site-settings');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/<form[^>]*action="\/update-settings"/);
      expect(inputValue(res.text, 'name')).toBe(row.name);
      expect(textareaValue(res.text, 'description')).toBe(row.description);
    });

    it('saves and redirects back to /site-settings with 303', async () => {
      const res = await saveSettings({
        name: 'Riverside Tickets',
        description: 'Gigs by the river.',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/site-settings');
      expect(await settingsRow()).toEqual({
        name: 'Riverside Tickets',
        description: 'Gigs by the river.',
      });
    });

    it('confirms the save on the settings page it redirects to', async () => {
      await saveSettings({ name: 'Riverside Tickets', description: '' });
      const page = await admin.get('/site-settings');
      expect(page.text).toContain('Settings saved.');
      expect(inputValue(page.text, 'name')).toBe('Riverside Tickets');
    });

    it.each(['/', '/attendee', '/login', '/register', '/event/abc'])(
      'shows the new name at once in the header of %s, also to anonymous visitors',
      async (path) => {
        const name = `Harbour Hall ${Date.now()}`;
        await saveSettings({ name, description: 'Concerts' });
        const res = await testApp.browser().get(path);
        expect(headerName(res.text)).toBe(name);
        expect(res.text).toContain(`<title>`);
      },
    );

    it('shows the new description on the home page', async () => {
      await saveSettings({ name: 'Harbour Hall', description: 'Concerts on the quay' });
      const res = await testApp.browser().get('/');
      expect(res.text).toContain('Concerts on the quay');
    });

    it('trims the name and keeps newlines in the description', async () => {
      await saveSettings({ name: '  Spaced Out  ', description: 'Line one\r\nLine two' });
      expect(await settingsRow()).toEqual({
        name: 'Spaced Out',
        description: 'Line one\nLine two',
      });
    });

    it('accepts a name of exactly 100 characters and a description of 1000', async () => {
      const res = await saveSettings({ name: 'n'.repeat(100), description: 'd'.repeat(1000) });
      expect(res.status).toBe(303);
      expect((await settingsRow()).name).toHaveLength(100);
    });

    it('shows HTML in the site name escaped, never as markup', async () => {
      const res = await saveSettings({
        name: '<script>alert(1)</script>',
        description: '<b>bold</b>',
      });
      expect(res.status).toBe(303);
      const home = await testApp.browser().get('/');
      expect(home.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(home.text).not.toContain('<script>alert(1)</script>');
      expect(home.text).not.toContain('<b>bold</b>');
    });

    const badValues: {
      field: 'name' | 'description';
      case: string;
      fields: Record<string, string | undefined>;
    }[] = [
      { field: 'name', case: 'empty', fields: { name: '' } },
      { field: 'name', case: 'only spaces', fields: { name: '   ' } },
      { field: 'name', case: 'missing', fields: { name: undefined } },
      { field: 'name', case: '101 characters', fields: { name: 'n'.repeat(101) } },
      { field: 'name', case: 'containing NUL', fields: { name: 'Bad\u0000Name' } },
      { field: 'name', case: 'containing ESC', fields: { name: 'Bad\u001b[2JName' } },
      { field: 'name', case: 'an array', fields: { name: undefined, 'name[0]': 'Array Name' } },
      { field: 'description', case: '1001 characters', fields: { description: 'd'.repeat(1001) } },
      { field: 'description', case: 'containing NUL', fields: { description: 'nul\u0000here' } },
      {
        field: 'description',
        case: 'an array',
        fields: { description: undefined, 'description[0]': 'x' },
      },
    ];

    it.each(badValues)(
      'refuses $field $case with 422, a message at the field and the row unchanged',
      async ({ field, fields }) => {
        await saveSettings({ name: 'Known Good', description: 'Known description' });
        const before = await settingsRow();
        const posted = Object.fromEntries(
          Object.entries({ name: 'Kept Name', description: 'Kept description', ...fields }).filter(
            (entry): entry is [string, string] => entry[1] !== undefined,
          ),
        );
        const res = await saveSettings(posted);
        expect(res.status).toBe(422);
        expect(fieldError(res.text, field)).toBeTruthy();
        expect(await settingsRow()).toEqual(before);
      },
    );

    it('keeps what the admin typed in a refused form', async () => {
      const res = await saveSettings({ name: 'Kept Name', description: 'x'.repeat(1001) });
      expect(res.status).toBe(422);
      expect(inputValue(res.text, 'name')).toBe('Kept Name');
      expect(textareaValue(res.text, 'description')).toBe('x'.repeat(1001));
    });

    it('keeps the typed name escaped in a refused form', async () => {
      const res = await saveSettings({
        name: '"><img src=x onerror=alert(1)>',
        description: 'x'.repeat(1001),
      });
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('<img src=x onerror=alert(1)>');
      expect(res.text).toContain('&quot;&gt;&lt;img');
    });
  });

  describe('users list', () => {
    beforeAll(async () => {
      await createEvent(testApp, organiser, { title: 'One' });
      await createEvent(testApp, organiser, { title: 'Two' }, { publish: false });
    });

    /** The table row of one user, by email. */
    const rowOf = (html: string, email: string) =>
      html.match(/<tr>[\s\S]*?<\/tr>/g)?.find((row) => row.includes(email));

    it('lists every user to the admin with role and event count', async () => {
      const res = await admin.get('/users/list-users');
      expect(res.status).toBe(200);
      const adminRow = rowOf(res.text, adminEmail)!;
      const organiserRow = rowOf(res.text, organiserEmail)!;
      expect(adminRow).toContain('Ada Admin');
      expect(adminRow).toMatch(/>admin</);
      expect(adminRow).toMatch(/>0</);
      expect(organiserRow).toContain('Olive Organiser');
      expect(organiserRow).toMatch(/>organiser</);
      expect(organiserRow).toMatch(/>2</);
    });

    it('never shows a password hash', async () => {
      const res = await admin.get('/users/list-users');
      expect(res.text).not.toContain('$argon2');
      expect(res.text).not.toMatch(/password_hash|passwordHash/i);
    });

    it('answers an organiser with 403', async () => {
      const res = await organiser.get('/users/list-users');
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(adminEmail);
    });

    it('sends an anonymous visitor to the login page', async () => {
      const res = await testApp.browser().get('/users/list-users');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
    });

    it('links the admin to the users list and settings from the header, not an organiser', async () => {
      const adminPage = await admin.get('/organiser');
      const organiserPage = await organiser.get('/organiser');
      expect(adminPage.text).toContain('href="/users/list-users"');
      expect(adminPage.text).toContain('href="/site-settings"');
      expect(organiserPage.text).not.toContain('href="/users/list-users"');
      expect(organiserPage.text).not.toContain('href="/site-settings"');
    });
  });
});

describe('ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  it('create that admin at start-up, who can log in and open the settings', async () => {
    const email = uniqueEmail('boot-admin');
    const testApp = await startTestApp({
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: 'boot admin password',
    });
    try {
      const [row] = await testApp.sql<{ role: string; password_hash: string }[]>(
        'SELECT role, password_hash FROM users WHERE email = ?',
        [email],
      );
      expect(row.role).toBe('admin');
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const browser = testApp.browser();
      const res = await login(browser, email, 'boot admin password');
      expect(res.headers.location).toBe('/organiser');
      expect((await browser.get('/site-settings')).status).toBe(200);
    } finally {
      await testApp.close();
    }
  });

  it('store the admin email lower-case', async () => {
    const email = uniqueEmail('Loud-Admin').toUpperCase();
    const testApp = await startTestApp({
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: 'boot admin password',
    });
    try {
      const rows = await testApp.sql<{ email: string }[]>('SELECT email FROM users');
      expect(rows).toEqual([{ email: email.toLowerCase() }]);
    } finally {
      await testApp.close();
    }
  });

  it('leave the next registration an organiser, since an admin already exists', async () => {
    const testApp = await startTestApp({
      ADMIN_EMAIL: uniqueEmail('boot-admin'),
      ADMIN_PASSWORD: 'boot admin password',
    });
    try {
      const email = await register(testApp.browser(), uniqueEmail('after-boot'));
      const [row] = await testApp.sql<{ role: string }[]>(
        'SELECT role FROM users WHERE email = ?',
        [email],
      );
      expect(row.role).toBe('organiser');
    } finally {
      await testApp.close();
    }
  });

  describe('on a restart with an existing organiser', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let organiserEmail: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'boxoffice-admin-restart-'));
      env = { DATABASE_URL: `sqlite:${join(dir, 'restart.sqlite')}` };
      const first = await startTestApp(env);
      try {
        await register(first.browser(), uniqueEmail('first'));
        organiserEmail = await register(first.browser(), uniqueEmail('promoted'), 'Pam Promoted');
      } finally {
        await first.close();
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('promote that organiser to admin and keep the password', async () => {
      const second = await startTestApp({
        ...env,
        ADMIN_EMAIL: organiserEmail.toUpperCase(),
        ADMIN_PASSWORD: 'a different password',
      });
      try {
        const rows = await second.sql<{ role: string; password_hash: string }[]>(
          'SELECT role, password_hash FROM users WHERE email = ?',
          [organiserEmail],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0].role).toBe('admin');
        expect(await argon2.verify(rows[0].password_hash, PASSWORD)).toBe(true);
        expect(await second.sql('SELECT id FROM users')).toHaveLength(2);

        const browser = second.browser();
        expect((await login(browser, organiserEmail, PASSWORD)).headers.location).toBe(
          '/organiser',
        );
        expect((await browser.get('/users/list-users')).status).toBe(200);
        expect(
          (await login(second.browser(), organiserEmail, 'a different password')).headers.location,
        ).toBe('/auth-fail');
      } finally {
        await second.close();
      }
    });
  });

  it('apply to a logged-in organiser at once when ensureAdmin promotes them', async () => {
    const testApp = await startTestApp();
    try {
      await register(testApp.browser(), uniqueEmail('first'));
      const browser = testApp.browser();
      const email = await register(browser, uniqueEmail('soon-admin'));
      expect((await browser.get('/site-settings')).status).toBe(403);
      await testApp.app.get(UsersService).ensureAdmin(email, 'ignored password');
      expect((await browser.get('/site-settings')).status).toBe(200);
    } finally {
      await testApp.close();
    }
  });
});
