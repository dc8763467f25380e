import request from 'supertest';
import {
  Browser,
  createApiToken,
  eventFields,
  FormFields,
  hiddenField,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * Hostile input against every form and API field: whatever arrives, the answer is a 4xx or
 * a clean success, never a 5xx; a refused request changes no row; accepted text is shown
 * escaped wherever it is rendered.
 */

const PAYLOADS: [string, string][] = [
  ['SQL injection', "' OR '1'='1' --"],
  ['SQL statement', "x'); DROP TABLE users; --"],
  ['script tag', '<script>alert(1)</script>'],
  ['attribute breaker', '"><img src=x onerror=alert(1)>'],
  ['single-quote attribute breaker', "' onmouseover='alert(1)"],
  ['template injection', "{{constructor.constructor('alert(1)')()}}"],
  ['right-to-left override', 'abc\u202Edef'],
  ['zero-width and emoji', 'Ti\u200Bcket 🎟️ ﷽'],
  ['lone surrogate', 'bad \uD800 half'],
  ['null byte', 'nul\u0000byte'],
  ['percent-encoded null', '%00'],
  ['path traversal', '../../etc/passwd'],
  ['prototype key', '__proto__'],
  ['huge number', '1e309'],
  ['NaN', 'NaN'],
  ['negative', '-1'],
  ['float', '2.5'],
  ['malformed date', '2026-13-45T25:61'],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['1 MB', 'y'.repeat(1_000_000)],
];

/** Every row a request could change (sessions and token use times aside). */
async function snapshot(testApp: TestApp) {
  const tables = [
    'users',
    'events',
    'ticket_types',
    'bookings',
    'booking_items',
    'site_settings',
    'audit_log',
  ];
  const rows: Record<string, unknown> = {};
  for (const table of tables) rows[table] = await testApp.sql(`SELECT * FROM ${table} ORDER BY 1`);
  rows.api_tokens = await testApp.sql('SELECT id, name, revoked_at FROM api_tokens ORDER BY 1');
  return JSON.stringify(rows);
}

describe('hostile input', () => {
  let testApp: TestApp;
  let admin: Browser;
  let token: string;
  let eventId: number;
  let ticketTypeId: number;
  const outcomes: { target: string; payload: string; status: number }[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0);
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    ({
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 1000 }],
    }));
  });
  afterAll(() => testApp.close());

  /** Sends one hostile request; refused ones must leave every row as it was. */
  async function attack(target: string, payload: string, send: () => Promise<request.Response>) {
    const before = await snapshot(testApp);
    const res = await send();
    outcomes.push({ target, payload, status: res.status });
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(await snapshot(testApp)).toBe(before);
    return res;
  }

  const csrfOf = async (browser: Browser, path: string) =>
    hiddenField((await browser.get(path)).text, '_csrf');

  const FORMS: {
    name: string;
    path: () => string;
    csrfFrom: () => string;
    base: () => FormFields;
    asAdmin: boolean;
  }[] = [
    {
      name: 'register',
      path: () => '/register',
      csrfFrom: () => '/register',
      base: () => ({
        email: `h${Date.now()}${Math.random()}@example.com`,
        password: 'correct horse battery',
        displayName: 'Hostile',
      }),
      asAdmin: false,
    },
    {
      name: 'login',
      path: () => '/login',
      csrfFrom: () => '/login',
      base: () => ({ email: 'a@example.com', password: 'whatever pass' }),
      asAdmin: false,
    },
    {
      name: 'create-event',
      path: () => '/create-event',
      csrfFrom: () => '/create-event',
      base: () => eventFields(),
      asAdmin: true,
    },
    {
      name: 'purchase',
      path: () => `/purchase/${eventId}`,
      csrfFrom: () => `/buy-tickets/${eventId}`,
      base: () => ({
        attendeeName: 'Ada',
        attendeeEmail: 'ada@example.com',
        [`quantities[${ticketTypeId}]`]: 1,
      }),
      asAdmin: false,
    },
    {
      name: 'update-settings',
      path: () => '/update-settings',
      csrfFrom: () => '/site-settings',
      base: () => ({ name: 'Box office', description: 'Tickets' }),
      asAdmin: true,
    },
    {
      name: 'api-tokens',
      path: () => '/api-tokens',
      csrfFrom: () => '/api-tokens',
      base: () => ({ name: 'script' }),
      asAdmin: true,
    },
  ];
  const FIELDS: Record<string, string[]> = {
    register: ['email', 'password', 'displayName'],
    login: ['email', 'password'],
    'create-event': [
      'title',
      'description',
      'venue',
      'startsAt',
      'maxTicketsPerType',
      'ticketTypes[0][name]',
      'ticketTypes[0][price]',
      'ticketTypes[0][capacity]',
    ],
    purchase: ['attendeeName', 'attendeeEmail', `quantities`, 'idempotencyKey'],
    'update-settings': ['name', 'description'],
    'api-tokens': ['name'],
  };

  const formCases = FORMS.flatMap((form) =>
    FIELDS[form.name].flatMap((field) =>
      PAYLOADS.map(([label, value]) => ({ form, field, label, value })),
    ),
  );

  it.each(formCases.map((c) => [`${c.form.name} ${c.field}`, c.label, c] as const))(
    'page form %s with %s: 4xx or a clean success',
    async (_target, _label, { form, field, value }) => {
      const browser = form.asAdmin ? admin : testApp.browser();
      const _csrf = await csrfOf(browser, form.csrfFrom());
      const key = field === 'quantities' ? `quantities[${ticketTypeId}]` : field;
      const res = await attack(`${form.name} ${field}`, value, () =>
        browser.post(form.path(), { ...form.base(), [key]: value, _csrf }),
      );
      // Whatever was kept is shown escaped: the raw markup never comes back.
      if (value.includes('<')) expect(res.text).not.toContain(value);
    },
  );

  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const futureIso = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const validEvent = () => ({
    title: 'API night',
    startsAt: futureIso,
    ticketTypes: [{ name: 'Standard', priceCents: 1000, capacity: 10 }],
  });

  const STRUCTURAL: [string, unknown][] = [
    ['an array', ['x']],
    ['an object', { nested: 'x' }],
    ['null', null],
    ['true', true],
    ['a negative number', -1],
    ['a float', 2.5],
    ['a huge integer', 1e20],
    ['a numeric string', '12'],
  ];
  const apiCases = [
    ...['title', 'description', 'venue', 'startsAt', 'maxTicketsPerType'].flatMap((field) =>
      [...PAYLOADS, ...STRUCTURAL].map(([label, value]) => ({
        kind: 'event',
        field,
        label,
        value,
      })),
    ),
    ...['name', 'priceCents', 'capacity'].flatMap((field) =>
      [...PAYLOADS.slice(0, 6), ...STRUCTURAL].map(([label, value]) => ({
        kind: 'ticketType',
        field,
        label,
        value,
      })),
    ),
    ...['attendeeName', 'attendeeEmail', 'ticketTypeId', 'quantity'].flatMap((field) =>
      [...PAYLOADS.slice(0, 10), ...STRUCTURAL].map(([label, value]) => ({
        kind: 'booking',
        field,
        label,
        value,
      })),
    ),
  ];

  it.each(apiCases.map((c) => [`${c.kind} ${c.field}`, c.label, c] as const))(
    'API %s as %s: 400/413 or a clean success',
    async (_target, _label, { kind, field, value }) => {
      let body: Record<string, unknown>;
      let path = '/api/v1/events';
      if (kind === 'event') body = { ...validEvent(), [field]: value };
      else if (kind === 'ticketType')
        body = {
          ...validEvent(),
          ticketTypes: [{ name: 'T', priceCents: 100, capacity: 5, [field]: value }],
        };
      else {
        path = `/api/v1/events/${eventId}/bookings`;
        const item = {
          ticketTypeId,
          quantity: 1,
          ...(['ticketTypeId', 'quantity'].includes(field) ? { [field]: value } : {}),
        };
        body = {
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          items: [item],
          ...(['ticketTypeId', 'quantity'].includes(field) ? {} : { [field]: value }),
        };
      }
      const res = await attack(`API ${kind} ${field}`, String(value), () =>
        api().post(path).set(auth()).send(body),
      );
      expect([200, 201, 400, 404, 409, 413]).toContain(res.status);
    },
  );

  it.each([
    ['__proto__ at the top', '{"__proto__": {"role": "admin"}, "title": "x"}'],
    ['constructor.prototype', '{"constructor": {"prototype": {"isAdmin": true}}}'],
    [
      '__proto__ in a ticket type',
      '{"title":"x","startsAt":"2099-01-01T00:00:00Z","ticketTypes":[{"__proto__":{"capacity":5}}]}',
    ],
    ['a JSON array as the body', '[1,2,3]'],
    ['a JSON string as the body', '"just a string"'],
    ['NaN (not JSON)', '{"title": NaN}'],
    ['a truncated body', '{"title": "x", "ticketTypes": ['],
    [
      '1e309 (Infinity)',
      '{"title":"x","startsAt":"2099-01-01T00:00:00Z","maxTicketsPerType":1e309,"ticketTypes":[]}',
    ],
  ])('API body with %s: 400, nothing changed, nothing polluted', async (label, raw) => {
    await attack('API raw body', label, () =>
      api().post('/api/v1/events').set(auth()).set('Content-Type', 'application/json').send(raw),
    );
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it.each(
    [
      '/event/',
      '/buy-tickets/',
      '/edit-event/',
      '/booking/',
      '/organiser/events/',
      '/api/v1/events/',
      '/api/v1/bookings/',
    ].flatMap((prefix) =>
      [
        "1' OR '1'='1",
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        '-1',
        '1e3',
        '99999999999999999999',
        '%3Cscript%3E',
        '__proto__',
      ].map((id) => [prefix, id] as const),
    ),
  )('a bad id in %s%s: 4xx', async (prefix, id) => {
    // As the logged-in admin, with the API token too: the id is what is wrong.
    const res = await attack(`path ${prefix}`, id, () => admin.get(`${prefix}${id}`).set(auth()));
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('ran well over 100 hostile cases, none of them a 5xx', () => {
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter((outcome) => outcome.status >= 500)).toEqual([]);
  });

  it('shows every stored hostile text escaped on the public pages and the dashboard', async () => {
    for (const path of [
      '/',
      '/attendee',
      `/event/${eventId}`,
      '/organiser',
      '/users/list-users',
      '/audit-log',
    ]) {
      const res = await admin.get(path);
      expect(res.status).toBe(200);
      for (const [, value] of PAYLOADS.filter(([, v]) => v.includes('<')))
        expect(res.text).not.toContain(value);
    }
  });
});
