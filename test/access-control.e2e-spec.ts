import { randomUUID } from 'node:crypto';
import {
  Browser,
  createEvent,
  eventFields,
  FormFields,
  registerAdminAndTwoOrganisers,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from './support/test-app';

const PASSWORD = 'correct horse battery';

/** A stack trace frame ("at fn (file.ts:1:2)") or a source/module path in a page. */
const STACK_TRACE = /\n\s*at \S.*[(\s]\S+:\d+:\d+|\/src\/|\.ts:\d+|node_modules|\/work\//;

describe('access control', () => {
  let testApp: TestApp;
  let admin: Browser;
  let organiserA: Browser;
  let organiserB: Browser;
  let emailA: string;
  /** Organiser A's published event and draft event. */
  let publishedOfA: number;
  let draftOfA: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ admin, organiserA, emailA, organiserB } = await registerAdminAndTwoOrganisers(testApp));
    publishedOfA = await createEvent(testApp, organiserA, { title: 'Alice Live' });
    draftOfA = await createEvent(testApp, organiserA, { title: 'Alice Draft' }, { publish: false });
  });
  afterAll(() => testApp.close());

  const eventRow = async (id: number) =>
    (
      await testApp.sql<{ id: number; title: string; status: string; venue: string }[]>(
        'SELECT id, title, status, venue FROM events WHERE id = ?',
        [id],
      )
    )[0];

  const count = async (table: string) =>
    Number((await testApp.sql<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  /** The edit form's fields for an existing event, ticket type ids included. */
  async function editFields(eventId: number, overrides: FormFields = {}): Promise<FormFields> {
    const types = await ticketTypesOf(testApp, eventId);
    const fields = eventFields();
    types.forEach((type, index) => {
      fields[`ticketTypes[${index}][id]`] = type.id;
      fields[`ticketTypes[${index}][name]`] = type.name;
      fields[`ticketTypes[${index}][capacity]`] = type.capacity;
    });
    return { ...fields, ...overrides };
  }

  async function loggedIn(email: string): Promise<Browser> {
    const browser = testApp.browser();
    const res = await browser.submit('/login', { email, password: PASSWORD });
    if (res.headers.location !== '/organiser') throw new Error(`login failed: ${res.status}`);
    return browser;
  }

  describe('anonymous visitors', () => {
    it.each([
      '/organiser',
      '/create-event',
      '/edit-event/1',
      '/site-settings',
      '/users/list-users',
    ])('are sent from %s to /login?next=<that path> with 303', async (path) => {
      const res = await testApp.browser().get(path);
      expect(res.status).toBe(303);
      const location = new URL(res.headers.location, 'http://localhost');
      expect(location.pathname).toBe('/login');
      expect(location.searchParams.get('next')).toBe(path);
    });

    it('come back to the page they asked for after logging in', async () => {
      const browser = testApp.browser();
      const bounce = await browser.get('/create-event');
      const loginPage = await browser.get(bounce.headers.location);
      const next = /name="next" value="([^"]*)"/.exec(loginPage.text)?.[1];
      expect(next).toBe('/create-event');
      const res = await browser.submit('/login', {
        email: emailA,
        password: PASSWORD,
        next: next!,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/create-event');
      expect((await browser.get('/create-event')).status).toBe(200);
    });

    it.each([
      ['/create-event', () => eventFields()],
      ['/update-settings', () => ({ name: 'Anon', description: '' })],
    ])('cannot POST %s even with a valid CSRF token', async (path, fields) => {
      const browser = testApp.browser();
      const before = {
        events: await count('events'),
        settings: await testApp.sql('SELECT * FROM site_settings'),
      };
      const res = await browser.submit(path, fields());
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
      expect(await count('events')).toBe(before.events);
      expect(await testApp.sql('SELECT * FROM site_settings')).toEqual(before.settings);
    });
  });

  describe("another organiser's event", () => {
    it('is not shown on the other organiser’s dashboard', async () => {
      const res = await organiserB.get('/organiser');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Alice Live');
      expect(res.text).not.toContain(`/edit-event/${publishedOfA}`);
    });

    it('answers GET /edit-event/:id with 404, not 403', async () => {
      const res = await organiserB.get(`/edit-event/${publishedOfA}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Alice Live');
    });

    it('answers POST /edit-event/:id with 404 and leaves the event unchanged', async () => {
      const before = await eventRow(publishedOfA);
      const types = await ticketTypesOf(testApp, publishedOfA);
      const res = await organiserB.submit(
        `/edit-event/${publishedOfA}`,
        await editFields(publishedOfA, { title: 'Hijacked', venue: 'Bob’s garage' }),
        '/organiser',
      );
      expect(res.status).toBe(404);
      expect(await eventRow(publishedOfA)).toEqual(before);
      expect(await ticketTypesOf(testApp, publishedOfA)).toEqual(types);
    });

    it('answers POST /delete-event/:id with 404 and keeps the event', async () => {
      const res = await organiserB.submit(`/delete-event/${draftOfA}`, {}, '/organiser');
      expect(res.status).toBe(404);
      expect(await eventRow(draftOfA)).toBeDefined();
    });

    it('answers POST /publish-event/:id with 404 and leaves it a draft', async () => {
      const res = await organiserB.submit(`/publish-event/${draftOfA}`, {}, '/organiser');
      expect(res.status).toBe(404);
      expect((await eventRow(draftOfA)).status).toBe('draft');
    });

    it('is still manageable by its own organiser', async () => {
      const res = await organiserA.get(`/edit-event/${publishedOfA}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Alice Live');
    });
  });

  describe('admin', () => {
    it("can open any organiser's event for editing", async () => {
      const res = await admin.get(`/edit-event/${publishedOfA}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Alice Live');
    });

    it("can save any organiser's event", async () => {
      const res = await admin.submit(
        `/edit-event/${publishedOfA}`,
        await editFields(publishedOfA, { title: 'Alice Live (moderated)' }),
        '/organiser',
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      const row = await eventRow(publishedOfA);
      expect(row.title).toBe('Alice Live (moderated)');
      expect(row.status).toBe('published');
    });

    it("sees every organiser's events on the dashboard", async () => {
      const res = await admin.get('/organiser');
      expect(res.text).toContain(`/edit-event/${draftOfA}`);
      expect(res.text).toContain(`/edit-event/${publishedOfA}`);
    });
  });

  describe('admin-only pages', () => {
    it.each(['/site-settings', '/users/list-users'])(
      'answer an organiser GET %s with 403',
      async (path) => {
        const res = await organiserA.get(path);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/text\/html/);
      },
    );

    it('answer an organiser POST /update-settings with 403 and keep the settings', async () => {
      const before = await testApp.sql('SELECT * FROM site_settings');
      const res = await organiserA.submit(
        '/update-settings',
        { name: 'Taken over', description: 'by an organiser' },
        '/organiser',
      );
      expect(res.status).toBe(403);
      expect(await testApp.sql('SELECT * FROM site_settings')).toEqual(before);
    });

    it.each(['/site-settings', '/users/list-users'])('open %s to the admin', async (path) => {
      expect((await admin.get(path)).status).toBe(200);
    });
  });

  describe('CSRF', () => {
    interface CsrfCase {
      path: string;
      /** The browser that posts, logged in as needed and holding a CSRF token of its own. */
      browser: () => Browser | Promise<Browser>;
      fields: () => FormFields | Promise<FormFields>;
      /** What must not change; compared before and after the refused POST. */
      state: (browser: Browser) => Promise<unknown>;
    }

    const organiserStatus = async (browser: Browser) => (await browser.get('/organiser')).status;
    let csrfEvent: number;
    let csrfDraft: number;
    let ticketTypeId: number;

    beforeAll(async () => {
      csrfEvent = await createEvent(testApp, organiserA, { title: 'CSRF Target' });
      csrfDraft = await createEvent(
        testApp,
        organiserA,
        { title: 'CSRF Draft' },
        { publish: false },
      );
      ticketTypeId = (await ticketTypesOf(testApp, csrfEvent))[0].id;
    });

    const cases: CsrfCase[] = [
      {
        path: '/login',
        browser: () => testApp.browser(),
        fields: () => ({ email: emailA, password: PASSWORD }),
        state: organiserStatus,
      },
      {
        path: '/register',
        browser: () => testApp.browser(),
        fields: () => ({
          email: uniqueEmail('csrf'),
          password: PASSWORD,
          displayName: 'Csrf',
        }),
        state: async (browser) => [await count('users'), await organiserStatus(browser)],
      },
      {
        path: '/logout',
        browser: () => loggedIn(emailA),
        fields: () => ({}),
        state: organiserStatus,
      },
      {
        path: '/create-event',
        browser: () => organiserA,
        fields: () => eventFields({ title: 'Forged' }),
        state: async () => [await count('events'), await count('ticket_types')],
      },
      {
        path: '/edit-event/:event',
        browser: () => organiserA,
        fields: () => editFields(csrfEvent, { title: 'Forged edit' }),
        state: async () => [await eventRow(csrfEvent), await ticketTypesOf(testApp, csrfEvent)],
      },
      {
        path: '/delete-event/:draft',
        browser: () => organiserA,
        fields: () => ({}),
        state: async () => eventRow(csrfDraft),
      },
      {
        path: '/publish-event/:draft',
        browser: () => organiserA,
        fields: () => ({}),
        state: async () => eventRow(csrfDraft),
      },
      {
        path: '/update-settings',
        browser: () => admin,
        fields: () => ({ name: 'Forged name', description: 'forged' }),
        state: () => testApp.sql('SELECT * FROM site_settings'),
      },
      {
        path: '/purchase/:event',
        browser: () => testApp.browser(),
        fields: () => ({
          [`quantities[${ticketTypeId}]`]: 1,
          attendeeName: 'Mallory',
          attendeeEmail: 'mallory@example.com',
          idempotencyKey: randomUUID(),
        }),
        state: async () => [await count('bookings'), await ticketTypesOf(testApp, csrfEvent)],
      },
    ];

    const variants: { name: string; token: () => FormFields | Promise<FormFields> }[] = [
      { name: 'without _csrf', token: () => ({}) },
      { name: 'with a made-up _csrf', token: () => ({ _csrf: 'not-the-token' }) },
      {
        name: "with another session's _csrf",
        token: async () => ({ _csrf: await testApp.browser().csrfToken() }),
      },
    ];

    describe.each(variants)('a POST $name', ({ token }) => {
      it.each(cases)('to $path gets 403 and changes nothing', async (testCase) => {
        const path = testCase.path
          .replace(':event', String(csrfEvent))
          .replace(':draft', String(csrfDraft));
        const browser = await testCase.browser();
        await browser.csrfToken(); // the session has a token of its own: only the posted one is wrong
        const before = await testCase.state(browser);
        const res = await browser.post(path, { ...(await testCase.fields()), ...(await token()) });
        expect(res.status).toBe(403);
        expect(res.text).not.toMatch(STACK_TRACE);
        expect(await testCase.state(browser)).toEqual(before);
      });
    });

    it('accepts the same session token for several forms in a row (not one-time)', async () => {
      const browser = testApp.browser();
      const _csrf = await browser.csrfToken();
      const first = await browser.post('/login', {
        email: emailA,
        password: 'wrong password',
        _csrf,
      });
      const second = await browser.post('/login', { email: emailA, password: PASSWORD, _csrf });
      expect(first.headers.location).toBe('/auth-fail');
      expect(second.headers.location).toBe('/organiser');
    });
  });

  describe('unknown and malformed ids', () => {
    it.each(['/event/abc', '/event/99999', '/event/0', '/event/-1', '/event/1.5', '/event/1e3'])(
      'GET %s is a 404 HTML page',
      async (path) => {
        const res = await testApp.browser().get(path);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toContain('Not Found');
      },
    );

    it('GET /event/:id of a draft is a 404', async () => {
      expect((await testApp.browser().get(`/event/${draftOfA}`)).status).toBe(404);
    });

    it.each(['/edit-event/abc', '/edit-event/99999', '/edit-event/99999999999999999999'])(
      'GET %s as a logged-in organiser is a 404 HTML page',
      async (path) => {
        const res = await organiserA.get(path);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/text\/html/);
      },
    );

    it.each(['/delete-event/abc', '/publish-event/99999', '/edit-event/abc'])(
      'POST %s as a logged-in organiser is a 404',
      async (path) => {
        const res = await organiserA.submit(path, {}, '/organiser');
        expect(res.status).toBe(404);
      },
    );
  });

  describe('error pages', () => {
    it.each([
      ['404', (b: TestApp) => b.browser().get('/event/abc')],
      ['404 for an unknown route', (b: TestApp) => b.browser().get('/no/such/page')],
      ['403', () => organiserA.get('/site-settings')],
      ['403 for CSRF', (b: TestApp) => b.browser().post('/register', { email: 'x@example.com' })],
      ['413', (b: TestApp) => b.browser().post('/login', { email: 'x'.repeat(200_000) })],
      [
        '400 for a malformed JSON body',
        (b: TestApp) => b.browser().agent.post('/login').type('json').send('{"email":'),
      ],
    ])('never show a stack trace or file path (%s)', async (_name, send) => {
      const res = await send(testApp);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(STACK_TRACE);
    });
  });
});
