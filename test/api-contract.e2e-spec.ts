import request from 'supertest';
import {
  Browser,
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const futureIso = (days = 30) => new Date(Date.now() + days * 86_400_000).toISOString();
const PROBLEM = /^application\/problem\+json/;

type Res = request.Response;

function expectProblem(res: Res, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

const fieldsOf = (res: Res): string[] =>
  ((res.body as { errors?: { field: string }[] }).errors ?? []).map((error) => error.field);

/** Every row the API can write (tokens and sessions excluded: using a token records its last use). */
async function snapshot(testApp: TestApp): Promise<unknown> {
  const tables = ['events', 'ticket_types', 'bookings', 'booking_items', 'site_settings', 'users'];
  const result: Record<string, unknown> = {};
  for (const table of tables) {
    result[table] = await testApp.sql(`SELECT * FROM ${table} ORDER BY 1`);
  }
  return result;
}

interface Credentials {
  admin: Browser;
  token: string;
  revokedToken: string;
  organiserToken: string;
}

/** The first account (admin) with a live and a revoked token, and a token owned by an organiser. */
async function setUpCredentials(testApp: TestApp): Promise<Credentials> {
  const admin = testApp.browser();
  await register(admin);
  const token = await createApiToken(admin, 'live');

  const revokedToken = await createApiToken(admin, 'revoked');
  const [{ id }] = await testApp.sql<{ id: number }[]>(
    "SELECT id FROM api_tokens WHERE name = 'revoked'",
  );
  expect((await admin.submit(`/api-tokens/${id}/revoke`, {}, '/api-tokens')).status).toBe(303);

  // An organiser's token: promoted to admin while creating it, then demoted.
  const other = testApp.browser();
  const email = await register(other, uniqueEmail('demoted'));
  await writeSql(testApp, "UPDATE users SET role = 'admin' WHERE email = ?", [email]);
  const organiserToken = await createApiToken(other, 'demoted');
  await writeSql(testApp, "UPDATE users SET role = 'organiser' WHERE email = ?", [email]);
  return { admin, token, revokedToken, organiserToken };
}

const validEvent = (overrides: Record<string, unknown> = {}) => ({
  title: 'Contract Night',
  description: 'Described',
  venue: 'Hall',
  startsAt: futureIso(),
  ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 10 }],
  ...overrides,
});

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface Ids {
  draftId: number;
  publishedId: number;
  ticketTypeId: number;
  reference: string;
}

interface Route {
  method: Method;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => object;
}

const ROUTES: [string, Route][] = [
  ['GET /api/v1/events', { method: 'get', path: () => '/api/v1/events' }],
  [
    'POST /api/v1/events',
    { method: 'post', path: () => '/api/v1/events', body: () => validEvent() },
  ],
  ['GET /api/v1/events/:id', { method: 'get', path: (ids) => `/api/v1/events/${ids.draftId}` }],
  [
    'PATCH /api/v1/events/:id',
    {
      method: 'patch',
      path: (ids) => `/api/v1/events/${ids.draftId}`,
      body: () => ({ title: 'Hijacked' }),
    },
  ],
  [
    'DELETE /api/v1/events/:id',
    { method: 'delete', path: (ids) => `/api/v1/events/${ids.draftId}` },
  ],
  [
    'POST /api/v1/events/:id/publish',
    { method: 'post', path: (ids) => `/api/v1/events/${ids.draftId}/publish` },
  ],
  [
    'GET /api/v1/events/:id/bookings',
    { method: 'get', path: (ids) => `/api/v1/events/${ids.publishedId}/bookings` },
  ],
  [
    'POST /api/v1/events/:id/bookings',
    {
      method: 'post',
      path: (ids) => `/api/v1/events/${ids.publishedId}/bookings`,
      body: (ids) => ({
        attendeeName: 'Mallory',
        attendeeEmail: 'mallory@example.com',
        items: [{ ticketTypeId: ids.ticketTypeId, quantity: 1 }],
      }),
    },
  ],
  [
    'GET /api/v1/bookings/:reference',
    { method: 'get', path: (ids) => `/api/v1/bookings/${ids.reference}` },
  ],
  [
    'POST /api/v1/bookings/:reference/cancel',
    { method: 'post', path: (ids) => `/api/v1/bookings/${ids.reference}/cancel` },
  ],
  ['GET /api/v1/users', { method: 'get', path: () => '/api/v1/users' }],
  ['GET /api/v1/settings', { method: 'get', path: () => '/api/v1/settings' }],
  [
    'PUT /api/v1/settings',
    {
      method: 'put',
      path: () => '/api/v1/settings',
      body: () => ({ name: 'Hijacked', description: 'x' }),
    },
  ],
  ['GET /api/v1/stats', { method: 'get', path: () => '/api/v1/stats' }],
];

describe('API contract: authentication and authorisation on every route', () => {
  let testApp: TestApp;
  let creds: Credentials;
  let ids: Ids;
  const api = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await startTestApp();
    creds = await setUpCredentials(testApp);
    const draft = await insertEvent(testApp, { status: 'draft', ticketTypes: [{ capacity: 5 }] });
    const published = await insertEvent(testApp, { ticketTypes: [{ capacity: 50 }] });
    const booked = await api()
      .post(`/api/v1/events/${published.eventId}/bookings`)
      .set({ Authorization: `Bearer ${creds.token}` })
      .send({
        attendeeName: 'Alice',
        attendeeEmail: 'alice@example.com',
        items: [{ ticketTypeId: published.ticketTypeIds[0], quantity: 1 }],
      });
    expect(booked.status).toBe(201);
    ids = {
      draftId: draft.eventId,
      publishedId: published.eventId,
      ticketTypeId: published.ticketTypeIds[0],
      reference: booked.body.reference as string,
    };
  });
  afterAll(() => testApp.close());

  const send = (route: Route, headers: Record<string, string>) => {
    const req = api()[route.method](route.path(ids)).set(headers);
    return route.body ? req.send(route.body(ids)) : req;
  };

  const CASES: [string, number, (c: Credentials) => Record<string, string>][] = [
    ['no token', 401, () => ({})],
    ['a bad token', 401, () => ({ Authorization: 'Bearer not-a-real-token' })],
    ['a token without "Bearer"', 401, (c) => ({ Authorization: c.token })],
    ['a revoked token', 401, (c) => ({ Authorization: `Bearer ${c.revokedToken}` })],
    ["an organiser's token", 403, (c) => ({ Authorization: `Bearer ${c.organiserToken}` })],
  ];

  describe.each(ROUTES)('%s', (_name, route) => {
    it.each(CASES)(
      'refuses %s with %i problem+json and changes nothing',
      async (_label, status, headers) => {
        const before = await snapshot(testApp);
        const res = await send(route, headers(creds));
        expectProblem(res, status);
        expect(await snapshot(testApp)).toEqual(before);
      },
    );
  });

  it('serves every GET route to the live admin token (the fixtures above are valid)', async () => {
    for (const [, route] of ROUTES.filter(([, r]) => r.method === 'get')) {
      const res = await send(route, { Authorization: `Bearer ${creds.token}` });
      expect([route.path(ids), res.status]).toEqual([route.path(ids), 200]);
    }
  });
});

describe('API contract: 404 for unknown ids and references', () => {
  let testApp: TestApp;
  let token: string;
  let ticketTypeId: number;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ token } = await setUpCredentials(testApp));
    ({
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] }));
  });
  afterAll(() => testApp.close());

  const ID_ROUTES: [string, Method, string, (() => object) | undefined][] = [
    ['GET', 'get', '/api/v1/events/:id', undefined],
    ['PATCH', 'patch', '/api/v1/events/:id', () => ({ title: 'Renamed' })],
    ['DELETE', 'delete', '/api/v1/events/:id', undefined],
    ['POST', 'post', '/api/v1/events/:id/publish', undefined],
    ['GET', 'get', '/api/v1/events/:id/bookings', undefined],
    [
      'POST',
      'post',
      '/api/v1/events/:id/bookings',
      () => ({
        attendeeName: 'Ann',
        attendeeEmail: 'ann@example.com',
        items: [{ ticketTypeId, quantity: 1 }],
      }),
    ],
  ];
  const BAD_IDS = ['999999', 'abc', '3e0', '0', '-1', '1.0', '0x1', '99999999999'];
  const cases = ID_ROUTES.flatMap(([verb, method, path, body]) =>
    BAD_IDS.map((id): [string, string, Method, string, (() => object) | undefined] => [
      verb,
      path.replace(':id', id),
      method,
      path,
      body,
    ]),
  );

  it.each(cases)(
    'answers %s %s with 404 problem+json, changing nothing',
    async (_verb, url, method, _path, body) => {
      const before = await snapshot(testApp);
      const req = api()[method](url).set(auth());
      const res = await (body ? req.send(body()) : req);
      expectProblem(res, 404);
      expect(await snapshot(testApp)).toEqual(before);
    },
  );

  const BAD_REFERENCES = ['NOSUCHREF', 'abc', '0', 'A'.repeat(21), '%27%20OR%201%3D1'];
  it.each(BAD_REFERENCES)(
    'answers GET /api/v1/bookings/%s with 404 problem+json',
    async (reference) => {
      expectProblem(await api().get(`/api/v1/bookings/${reference}`).set(auth()), 404);
    },
  );

  it.each(BAD_REFERENCES)(
    'answers POST /api/v1/bookings/%s/cancel with 404 problem+json, changing nothing',
    async (reference) => {
      const before = await snapshot(testApp);
      expectProblem(await api().post(`/api/v1/bookings/${reference}/cancel`).set(auth()), 404);
      expect(await snapshot(testApp)).toEqual(before);
    },
  );
});

describe('API contract: 400 naming each invalid field', () => {
  let testApp: TestApp;
  let token: string;
  let draftId: number;
  let draftTypeId: number;
  let publishedId: number;
  let publishedTypeId: number;
  let otherEventTypeId: number;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ token } = await setUpCredentials(testApp));
    const draft = await insertEvent(testApp, {
      status: 'draft',
      ticketTypes: [{ capacity: 5, priceCents: 700 }],
    });
    draftId = draft.eventId;
    draftTypeId = draft.ticketTypeIds[0];
    const published = await insertEvent(testApp, { ticketTypes: [{ capacity: 50 }] });
    publishedId = published.eventId;
    publishedTypeId = published.ticketTypeIds[0];
    otherEventTypeId = (await insertEvent(testApp, { ticketTypes: [{ capacity: 50 }] }))
      .ticketTypeIds[0];
  });
  afterAll(() => testApp.close());

  const type = (overrides: Record<string, unknown> = {}) => ({
    name: 'A',
    priceCents: 100,
    capacity: 5,
    ...overrides,
  });

  /** Invalid on both POST and PATCH: [description, body override, field]. */
  const EVENT_FIELD_CASES: [string, Record<string, unknown>, string][] = [
    ['an empty title', { title: '' }, 'title'],
    ['a title that is not a string', { title: 42 }, 'title'],
    ['a NUL in the title', { title: 'Bad\u0000Title' }, 'title'],
    ['a description of 5001 characters', { description: 'x'.repeat(5001) }, 'description'],
    ['a venue of 201 characters', { venue: 'x'.repeat(201) }, 'venue'],
    ['a startsAt that is not ISO-8601', { startsAt: 'next friday' }, 'startsAt'],
    ['a startsAt without time separator', { startsAt: '2030-01-01 19:00:00Z' }, 'startsAt'],
    ['maxTicketsPerType 0', { maxTicketsPerType: 0 }, 'maxTicketsPerType'],
    ['maxTicketsPerType 101', { maxTicketsPerType: 101 }, 'maxTicketsPerType'],
    ['holdMinutes 0', { holdMinutes: 0 }, 'holdMinutes'],
    ['holdMinutes 121', { holdMinutes: 121 }, 'holdMinutes'],
    ['holdMinutes 7.5', { holdMinutes: 7.5 }, 'holdMinutes'],
    ['holdMinutes as text', { holdMinutes: '15' }, 'holdMinutes'],
    ['empty ticketTypes', { ticketTypes: [] }, 'ticketTypes'],
    ['21 ticketTypes', { ticketTypes: Array.from({ length: 21 }, () => type()) }, 'ticketTypes'],
    ['ticketTypes not an array', { ticketTypes: 'many' }, 'ticketTypes'],
    ['an empty ticket type name', { ticketTypes: [type({ name: '' })] }, 'ticketTypes.0.name'],
    [
      'a ticket type name of 61 characters',
      { ticketTypes: [type({ name: 'x'.repeat(61) })] },
      'ticketTypes.0.name',
    ],
    ['priceCents -1', { ticketTypes: [type({ priceCents: -1 })] }, 'ticketTypes.0.priceCents'],
    [
      'priceCents 10000001',
      { ticketTypes: [type({ priceCents: 10_000_001 })] },
      'ticketTypes.0.priceCents',
    ],
    ['priceCents 1.5', { ticketTypes: [type({ priceCents: 1.5 })] }, 'ticketTypes.0.priceCents'],
    ['priceCents "5"', { ticketTypes: [type({ priceCents: '5' })] }, 'ticketTypes.0.priceCents'],
    ['capacity 0', { ticketTypes: [type({ capacity: 0 })] }, 'ticketTypes.0.capacity'],
    ['capacity 100001', { ticketTypes: [type({ capacity: 100_001 })] }, 'ticketTypes.0.capacity'],
    [
      'an invalid second ticket type',
      { ticketTypes: [type(), type({ capacity: -3 })] },
      'ticketTypes.1.capacity',
    ],
    ['an unknown top-level field', { colour: 'red' }, 'colour'],
    ['an unknown nested field', { ticketTypes: [type({ colour: 'red' })] }, 'ticketTypes.0.colour'],
  ];

  const expectFieldError = async (res: Res, field: string, before: unknown) => {
    expectProblem(res, 400);
    expect(fieldsOf(res)).toContain(field);
    expect(await snapshot(testApp)).toEqual(before);
  };

  describe('POST /api/v1/events', () => {
    it.each([
      ...EVENT_FIELD_CASES,
      ['a missing title', { title: undefined }, 'title'],
      ['a missing startsAt', { startsAt: undefined }, 'startsAt'],
      ['missing ticketTypes', { ticketTypes: undefined }, 'ticketTypes'],
    ] as [string, Record<string, unknown>, string][])(
      'refuses %s with 400 naming the field, creating nothing',
      async (_label, override, field) => {
        const before = await snapshot(testApp);
        const res = await api().post('/api/v1/events').set(auth()).send(validEvent(override));
        await expectFieldError(res, field, before);
      },
    );

    it('accepts the valid base body (so the cases above fail only for their field)', async () => {
      const res = await api().post('/api/v1/events').set(auth()).send(validEvent());
      expect(res.status).toBe(201);
      await writeSql(testApp, 'DELETE FROM ticket_types WHERE event_id = ?', [res.body.id]);
      await writeSql(testApp, 'DELETE FROM events WHERE id = ?', [res.body.id]);
    });
  });

  describe('PATCH /api/v1/events/:id', () => {
    it.each(EVENT_FIELD_CASES)(
      'refuses %s with 400 naming the field, changing nothing',
      async (_label, override, field) => {
        const before = await snapshot(testApp);
        const res = await api().patch(`/api/v1/events/${draftId}`).set(auth()).send(override);
        await expectFieldError(res, field, before);
      },
    );

    it('refuses a capacity below the tickets sold with 400 naming ticketTypes.0.capacity, changing nothing', async () => {
      const booked = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Bo',
          attendeeEmail: 'bo@example.com',
          items: [{ ticketTypeId: publishedTypeId, quantity: 3 }],
        });
      expect(booked.status).toBe(201);
      const before = await snapshot(testApp);
      const res = await api()
        .patch(`/api/v1/events/${publishedId}`)
        .set(auth())
        .send({
          title: 'Renamed too',
          ticketTypes: [{ id: publishedTypeId, name: 'Type 1', priceCents: 1000, capacity: 2 }],
        });
      await expectFieldError(res, 'ticketTypes.0.capacity', before);
    });

    it('accepts a valid PATCH of the same event (so the cases above fail only for their field)', async () => {
      const res = await api()
        .patch(`/api/v1/events/${draftId}`)
        .set(auth())
        .send({ ticketTypes: [{ id: draftTypeId, name: 'Type 1', priceCents: 700, capacity: 5 }] });
      expect(res.status).toBe(200);
    });
  });

  describe('POST /api/v1/events/:id/bookings', () => {
    const booking = (overrides: Record<string, unknown> = {}) => ({
      attendeeName: 'Ann',
      attendeeEmail: 'ann@example.com',
      items: [{ ticketTypeId: publishedTypeId, quantity: 1 }],
      ...overrides,
    });
    const item = (overrides: Record<string, unknown>) => [
      { ticketTypeId: publishedTypeId, quantity: 1, ...overrides },
    ];

    it.each([
      ['an empty attendeeName', () => booking({ attendeeName: '' }), 'attendeeName'],
      [
        'an attendeeName of 101 characters',
        () => booking({ attendeeName: 'x'.repeat(101) }),
        'attendeeName',
      ],
      ['a NUL in attendeeName', () => booking({ attendeeName: 'A\u0000n' }), 'attendeeName'],
      ['a missing attendeeName', () => booking({ attendeeName: undefined }), 'attendeeName'],
      [
        'an invalid attendeeEmail',
        () => booking({ attendeeEmail: 'not-an-email' }),
        'attendeeEmail',
      ],
      ['empty items', () => booking({ items: [] }), 'items'],
      ['missing items', () => booking({ items: undefined }), 'items'],
      [
        'ticketTypeId 0',
        () => booking({ items: item({ ticketTypeId: 0 }) }),
        'items.0.ticketTypeId',
      ],
      [
        'ticketTypeId "x"',
        () => booking({ items: item({ ticketTypeId: 'x' }) }),
        'items.0.ticketTypeId',
      ],
      ['quantity 0', () => booking({ items: item({ quantity: 0 }) }), 'items.0.quantity'],
      ['quantity 1.5', () => booking({ items: item({ quantity: 1.5 }) }), 'items.0.quantity'],
      ['an unknown top-level field', () => booking({ coupon: 'FREE' }), 'coupon'],
      ['an unknown item field', () => booking({ items: item({ price: 0 }) }), 'items.0.price'],
    ] as [string, () => object, string][])(
      'refuses %s with 400 naming the field, booking nothing',
      async (_label, body, field) => {
        const before = await snapshot(testApp);
        const res = await api()
          .post(`/api/v1/events/${publishedId}/bookings`)
          .set(auth())
          .send(body());
        await expectFieldError(res, field, before);
      },
    );

    it('refuses quantity 11 (over the per-event maximum of 10) with 400, booking nothing', async () => {
      const before = await snapshot(testApp);
      const res = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .send(booking({ items: item({ quantity: 11 }) }));
      expectProblem(res, 400);
      expect(await snapshot(testApp)).toEqual(before);
    });

    it('refuses a ticket type of another event with 400, booking nothing', async () => {
      const before = await snapshot(testApp);
      const res = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .send(booking({ items: item({ ticketTypeId: otherEventTypeId }) }));
      expectProblem(res, 400);
      expect(await snapshot(testApp)).toEqual(before);
    });

    // Rules checked by the booking service are reported at the API body's own path, not the form's "quantities".
    it('names the items field (a dotted path) for a quantity over the per-event maximum', async () => {
      const res = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .send(booking({ items: item({ quantity: 11 }) }));
      expect(res.status).toBe(400);
      expect(fieldsOf(res).every((field) => field.startsWith('items'))).toBe(true);
      expect(fieldsOf(res).length).toBeGreaterThan(0);
    });

    it('names the items field (a dotted path) for a ticket type of another event', async () => {
      const res = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .send(booking({ items: item({ ticketTypeId: otherEventTypeId }) }));
      expect(res.status).toBe(400);
      expect(fieldsOf(res).every((field) => field.startsWith('items'))).toBe(true);
      expect(fieldsOf(res).length).toBeGreaterThan(0);
    });

    it.each([
      ['too short', 'short'],
      ['with a space', 'has a space in it'],
      ['with punctuation', 'abcdefgh!'],
      ['101 characters long', 'k'.repeat(101)],
    ])('refuses an Idempotency-Key %s with 400, booking nothing', async (_label, key) => {
      const before = await snapshot(testApp);
      const res = await api()
        .post(`/api/v1/events/${publishedId}/bookings`)
        .set(auth())
        .set('Idempotency-Key', key)
        .send(booking());
      expectProblem(res, 400);
      expect(await snapshot(testApp)).toEqual(before);
    });
  });

  describe('PUT /api/v1/settings', () => {
    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name'],
      ['a name that is not text', { name: 42 }, 'name'],
      [
        'an organiserApproval that is not true or false',
        { organiserApproval: 'yes' },
        'organiserApproval',
      ],
      [
        'a requireTwoFactorForAdmins that is not true or false',
        { requireTwoFactorForAdmins: 1 },
        'requireTwoFactorForAdmins',
      ],
      ['a description of 1001 characters', { description: 'x'.repeat(1001) }, 'description'],
      ['a currency that is not ISO 4217', { currency: 'EURO' }, 'currency'],
      ['a currency that is not text', { currency: 978 }, 'currency'],
      [
        'bank transfer instructions of 2001 characters',
        { bankTransferInstructions: 'x'.repeat(2001) },
        'bankTransferInstructions',
      ],
      ['bankTransferDays of 0', { bankTransferDays: 0 }, 'bankTransferDays'],
      ['bankTransferDays of 31', { bankTransferDays: 31 }, 'bankTransferDays'],
      ['bankTransferDays of 2.5', { bankTransferDays: 2.5 }, 'bankTransferDays'],
      ['bankTransferDays as text', { bankTransferDays: '3' }, 'bankTransferDays'],
      ['an onSitePayment that is not true or false', { onSitePayment: 'on' }, 'onSitePayment'],
      ['an unknown field', { theme: 'dark' }, 'theme'],
    ] as [string, Record<string, unknown>, string][])(
      'refuses %s with 400 naming the field, changing nothing',
      async (_label, override, field) => {
        const before = await snapshot(testApp);
        const res = await api()
          .put('/api/v1/settings')
          .set(auth())
          .send({ name: 'Valid name', description: 'Valid', ...override });
        await expectFieldError(res, field, before);
      },
    );
  });

  describe('list queries', () => {
    const badPages = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=1e1', 'limit'],
      ['limit=0x10', 'limit'],
      ['limit=', 'limit'],
      ['limit=5&limit=6', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['offset=1e3', 'offset'],
      ['offset=99999999999999999999', 'offset'],
      ['offset=1000000001', 'offset'],
    ];

    it.each([...badPages, ['status=bogus', 'status']])(
      'refuses GET /api/v1/events?%s with 400 naming %s',
      async (query, field) => {
        const res = await api().get(`/api/v1/events?${query}`).set(auth());
        expectProblem(res, 400);
        expect(fieldsOf(res)).toEqual([field]);
      },
    );

    it.each(badPages)(
      'refuses GET /api/v1/events/:id/bookings?%s with 400 naming %s',
      async (query, field) => {
        const res = await api().get(`/api/v1/events/${publishedId}/bookings?${query}`).set(auth());
        expectProblem(res, 400);
        expect(fieldsOf(res)).toEqual([field]);
      },
    );

    it('takes the largest offset there is, answering an empty page', async () => {
      const res = await api().get('/api/v1/events?offset=1000000000').set(auth());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ data: [], offset: 1_000_000_000 });
    });

    it('defaults to limit 20 and offset 0', async () => {
      const res = await api().get('/api/v1/events').set(auth());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ limit: 20, offset: 0 });
    });
  });
});

describe('API contract: conflicts', () => {
  let testApp: TestApp;
  let token: string;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const book = (eventId: number, ticketTypeId: number, quantity = 1, key?: string) => {
    const req = api().post(`/api/v1/events/${eventId}/bookings`).set(auth());
    if (key) req.set('Idempotency-Key', key);
    return req.send({
      attendeeName: 'Cleo',
      attendeeEmail: 'cleo@example.com',
      items: [{ ticketTypeId, quantity }],
    });
  };
  const count = async (sql: string) => Number((await testApp.sql<{ n: number }[]>(sql))[0].n);

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ token } = await setUpCredentials(testApp));
  });
  afterAll(() => testApp.close());

  it('refuses to DELETE an event with a confirmed booking with 409, keeping it', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    expect((await book(eventId, ticketTypeIds[0])).status).toBe(201);
    const before = await snapshot(testApp);
    expectProblem(await api().delete(`/api/v1/events/${eventId}`).set(auth()), 409);
    expect(await snapshot(testApp)).toEqual(before);
  });

  it('deletes an event with 204 once its only booking is cancelled via the API', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    const booked = await book(eventId, ticketTypeIds[0]);
    expect(booked.status).toBe(201);
    expect(
      (await api().post(`/api/v1/bookings/${booked.body.reference}/cancel`).set(auth())).status,
    ).toBe(200);
    expect((await api().delete(`/api/v1/events/${eventId}`).set(auth())).status).toBe(204);
    expect((await api().get(`/api/v1/events/${eventId}`).set(auth())).status).toBe(404);
  });

  it('refuses to book a sold-out event with 409, booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 2 }],
    });
    expect((await book(eventId, ticketTypeIds[0], 2)).status).toBe(201);
    const before = await snapshot(testApp);
    expectProblem(await book(eventId, ticketTypeIds[0], 1), 409);
    expect(await snapshot(testApp)).toEqual(before);
  });

  it('refuses a booking larger than the remaining tickets with 409, booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 3 }],
    });
    const before = await snapshot(testApp);
    expectProblem(await book(eventId, ticketTypeIds[0], 4), 409);
    expect(await snapshot(testApp)).toEqual(before);
  });

  it('replays the same Idempotency-Key and body with 200 and the same booking', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    const first = await book(eventId, ticketTypeIds[0], 1, 'same-key-0001');
    const again = await book(eventId, ticketTypeIds[0], 1, 'same-key-0001');
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.reference).toBe(first.body.reference);
    expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(1);
  });

  it('refuses the same Idempotency-Key with a different body with 409, booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    expect((await book(eventId, ticketTypeIds[0], 1, 'reused-key-0002')).status).toBe(201);
    const before = await snapshot(testApp);
    expectProblem(await book(eventId, ticketTypeIds[0], 2, 'reused-key-0002'), 409);
    expect(await snapshot(testApp)).toEqual(before);
  });

  it('refuses the same Idempotency-Key for another event with 409, booking nothing', async () => {
    const a = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
    const b = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
    expect((await book(a.eventId, a.ticketTypeIds[0], 1, 'cross-key-0003')).status).toBe(201);
    const bookings = await count('SELECT COUNT(*) AS n FROM bookings');
    expectProblem(await book(b.eventId, b.ticketTypeIds[0], 1, 'cross-key-0003'), 409);
    expect(await count('SELECT COUNT(*) AS n FROM bookings')).toBe(bookings);
  });

  it('answers 404 to booking a draft event, booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      status: 'draft',
      ticketTypes: [{ capacity: 5 }],
    });
    const before = await snapshot(testApp);
    expectProblem(await book(eventId, ticketTypeIds[0]), 404);
    expect(await snapshot(testApp)).toEqual(before);
  });

  it('answers 409 to booking an event that has already started, booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      startsAt: new Date(Date.now() - 3_600_000),
      ticketTypes: [{ capacity: 5 }],
    });
    const before = await snapshot(testApp);
    const res = await book(eventId, ticketTypeIds[0]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(await snapshot(testApp)).toEqual(before);
  });
});

describe('API contract: concurrent bookings and cancels', () => {
  let testApp: TestApp;
  let token: string;
  let server: ReturnType<TestApp['app']['getHttpServer']>;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ token } = await setUpCredentials(testApp));
    await testApp.app.listen(0);
    server = testApp.app.getHttpServer();
  });
  afterAll(() => testApp.close());

  it('keeps sold equal to confirmed items and within capacity under 200 bookings racing cancels', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 20, priceCents: 500 }],
    });
    const [ticketTypeId] = ticketTypeIds;
    const body = (i: number) => ({
      attendeeName: `Racer ${i}`,
      attendeeEmail: `racer${i}@example.com`,
      items: [{ ticketTypeId, quantity: 1 + (i % 2) }],
    });
    const earlier: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(server)
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(body(i));
      expect(res.status).toBe(201);
      earlier.push(res.body.reference as string);
    }

    const requests: Promise<Res>[] = [];
    for (let i = 0; i < 200; i++) {
      requests.push(
        request(server).post(`/api/v1/events/${eventId}/bookings`).set(auth()).send(body(i)),
      );
      if (i % 10 === 5) {
        const reference = earlier[Math.floor(i / 20)];
        requests.push(request(server).post(`/api/v1/bookings/${reference}/cancel`).set(auth()));
      }
    }
    const responses = await Promise.all(requests);

    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => ![200, 201, 409].includes(status))).toEqual([]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
    const [{ sold, capacity }] = await ticketTypesOf(testApp, eventId);
    expect(sold).toBeLessThanOrEqual(capacity);
    const [{ n: cancelled }] = await testApp.sql<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM bookings WHERE status = 'cancelled' AND event_id = ?",
      [eventId],
    );
    expect(Number(cancelled)).toBe(earlier.length);
  });
});

describe('API contract: cancelling and stats', () => {
  let testApp: TestApp;
  let token: string;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  let twice: { first: Res; second: Res; soldAfter: number; soldBefore: number };
  let stats: Res;

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ token } = await setUpCredentials(testApp));

    // Cancelling twice.
    const c = await insertEvent(testApp, { ticketTypes: [{ capacity: 10, priceCents: 100 }] });
    const booked = await api()
      .post(`/api/v1/events/${c.eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Dee',
        attendeeEmail: 'dee@example.com',
        items: [{ ticketTypeId: c.ticketTypeIds[0], quantity: 3 }],
      });
    expect(booked.status).toBe(201);
    const soldBefore = (await ticketTypesOf(testApp, c.eventId))[0].sold;
    const first = await api().post(`/api/v1/bookings/${booked.body.reference}/cancel`).set(auth());
    const second = await api().post(`/api/v1/bookings/${booked.body.reference}/cancel`).set(auth());
    const soldAfter = (await ticketTypesOf(testApp, c.eventId))[0].sold;
    twice = { first, second, soldBefore, soldAfter };

    // Stats: c (published, 0 sold, 0 revenue), a draft, and one event with a kept and a cancelled booking.
    await insertEvent(testApp, { status: 'draft', ticketTypes: [{ capacity: 5 }] });
    const s = await insertEvent(testApp, {
      ticketTypes: [
        { capacity: 10, priceCents: 1000 },
        { capacity: 10, priceCents: 2500 },
      ],
    });
    const kept = await api()
      .post(`/api/v1/events/${s.eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Kept',
        attendeeEmail: 'kept@example.com',
        items: [
          { ticketTypeId: s.ticketTypeIds[0], quantity: 2 },
          { ticketTypeId: s.ticketTypeIds[1], quantity: 1 },
        ],
      });
    expect(kept.status).toBe(201);
    const dropped = await api()
      .post(`/api/v1/events/${s.eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Dropped',
        attendeeEmail: 'dropped@example.com',
        items: [{ ticketTypeId: s.ticketTypeIds[1], quantity: 4 }],
      });
    expect(dropped.status).toBe(201);
    expect(
      (await api().post(`/api/v1/bookings/${dropped.body.reference}/cancel`).set(auth())).status,
    ).toBe(200);
    stats = await api().get('/api/v1/stats').set(auth());
  });
  afterAll(() => testApp.close());

  it('answers 200 with a cancelled booking to the first cancel', () => {
    expect(twice.first.status).toBe(200);
    expect(twice.first.body).toMatchObject({
      status: 'cancelled',
      cancelledAt: expect.any(String),
    });
  });

  it('answers 200 with the booking unchanged to the second cancel', () => {
    expect(twice.second.status).toBe(200);
    expect(twice.second.body).toEqual(twice.first.body);
  });

  it('returns the tickets to sale exactly once', () => {
    expect([twice.soldBefore, twice.soldAfter]).toEqual([3, 0]);
  });

  it('keeps sold equal to confirmed booking items after cancels', async () => {
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('reports all events and the published ones in stats', () => {
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ events: 3, publishedEvents: 2 });
  });

  it('reports ticketsSold as the tickets of confirmed bookings only', () => {
    expect(stats.body.ticketsSold).toBe(3);
  });

  it('reports revenueCents of confirmed bookings only', () => {
    expect(stats.body.revenueCents).toBe(2 * 1000 + 2500);
  });
});
