import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { gridSection } from './support/seat-maps';
import request, { Response } from 'supertest';
import { createApiToken, register, startTestApp, TestApp, uniqueEmail } from './support/test-app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Every route of the admin API called for real, and every answer checked against the OpenAPI
 * document the app serves: its status must be documented, and its body must match that
 * status's schema exactly (no field the document does not name). The request bodies sent are
 * checked against the document too. So the document and the answers cannot drift apart.
 */
describe('the OpenAPI document and the API’s real answers', () => {
  let testApp: TestApp;
  let token: string;
  let organiserToken: string;
  let document: OpenApiDocument;
  let ajv: Ajv;
  const checked = new Set<string>();

  beforeAll(async () => {
    testApp = await startTestApp();
    const admin = testApp.browser();
    await register(admin, uniqueEmail('admin')); // the first account is the admin
    token = await createApiToken(admin);
    // An organiser's token: made while they were an admin, then they are demoted.
    const organiser = testApp.browser();
    const email = await register(organiser, uniqueEmail('demoted'));
    await testApp.sql("UPDATE users SET role = 'admin' WHERE email = ?", [email]);
    organiserToken = await createApiToken(organiser, 'demoted');
    await testApp.sql("UPDATE users SET role = 'organiser' WHERE email = ?", [email]);

    document = (await request(testApp.app.getHttpServer()).get('/api/docs-json'))
      .body as OpenApiDocument;
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(closed(structuredClone(document)), 'openapi');
  });
  afterAll(() => testApp.close());

  const api = () => request(testApp.app.getHttpServer());

  /**
   * Sends a request as the admin (or with `as`; null: no token), expecting `status`, and checks
   * the answer against the document and, unless it is meant to be refused, the body sent.
   */
  async function call(
    method: Method,
    template: string,
    path: string,
    status: number,
    {
      body,
      as = token,
      refused = false,
    }: { body?: object; as?: string | null; refused?: boolean } = {},
  ): Promise<Response> {
    const operation = document.paths[template]?.[method];
    expect({ route: `${method} ${template}`, documented: Boolean(operation) }).toEqual({
      route: `${method} ${template}`,
      documented: true,
    });
    if (body && !refused)
      expectValid(
        `${pointer(template, method)}/requestBody/content/application~1json/schema`,
        body,
      );
    let req = api()[method](path);
    if (as) req = req.set('Authorization', `Bearer ${as}`);
    const res = await (body ? req.send(body) : req);
    expect({ route: `${method} ${path}`, status: res.status }).toEqual({
      route: `${method} ${path}`,
      status,
    });
    const documented = operation.responses[String(res.status)];
    expect({
      route: `${method} ${template}`,
      status: res.status,
      documented: Boolean(documented),
    }).toEqual({
      route: `${method} ${template}`,
      status: res.status,
      documented: true,
    });
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (res.status !== 204) {
      expect(Object.keys(documented.content ?? {})).toContain(type);
      expectValid(
        `${pointer(template, method)}/responses/${res.status}/content/${type.replace('/', '~1')}/schema`,
        res.body,
      );
    }
    checked.add(`${method} ${template} ${res.status}`);
    return res;
  }

  function expectValid(schemaPointer: string, value: unknown): void {
    const validate: ValidateFunction = ajv.getSchema(`openapi#${schemaPointer}`)!;
    expect(validate).toBeDefined();
    const valid = validate(value);
    expect({ at: schemaPointer, errors: valid ? [] : validate.errors }).toEqual({
      at: schemaPointer,
      errors: [],
    });
  }

  const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
  const newEvent = () => ({
    title: 'Contract Night',
    description: 'Checked against the document',
    venue: 'Hall',
    startsAt: future(),
    ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 2 }],
  });

  it('answers every route as the document says, successes and refusals', async () => {
    const created = await call('post', '/api/v1/events', '/api/v1/events', 201, {
      body: newEvent(),
    });
    const id = created.body.id as number;
    const ticketTypeId = created.body.ticketTypes[0].id as number;
    const event = `/api/v1/events/${id}`;
    const bookings = `${event}/bookings`;
    await call('get', '/api/v1/events', '/api/v1/events?limit=5', 200);
    await call('get', '/api/v1/events', '/api/v1/events?limit=500', 400);
    await call('get', '/api/v1/events/{id}', event, 200);
    await call('get', '/api/v1/events/{id}', '/api/v1/events/999999', 404);
    await call('get', '/api/v1/events/{id}/queue', `${event}/queue`, 200);
    await call('get', '/api/v1/events/{id}/queue', '/api/v1/events/999999/queue', 404);
    await call('patch', '/api/v1/events/{id}', event, 200, { body: { venue: 'Bigger hall' } });
    await call('patch', '/api/v1/events/{id}', event, 400, {
      body: { ticketTypes: [] },
      refused: true,
    });
    await call('post', '/api/v1/events', '/api/v1/events', 400, {
      body: { ...newEvent(), title: '' },
      refused: true,
    });
    await call('post', '/api/v1/events/{id}/bookings', bookings, 404, {
      body: order(ticketTypeId),
    });
    await call('post', '/api/v1/events/{id}/publish', `${event}/publish`, 200);

    const booked = await call('post', '/api/v1/events/{id}/bookings', bookings, 201, {
      body: order(ticketTypeId, 2),
    });
    const reference = booked.body.reference as string;
    const booking = `/api/v1/bookings/${reference}`;
    await call('post', '/api/v1/events/{id}/bookings', bookings, 409, {
      body: order(ticketTypeId),
    });
    await call('get', '/api/v1/events/{id}/bookings', bookings, 200);
    await call('get', '/api/v1/events/{id}/bookings', `${bookings}?offset=-1`, 400);
    await call('get', '/api/v1/bookings/{reference}', booking, 200);
    await call('get', '/api/v1/bookings/{reference}', '/api/v1/bookings/ZZZZZZZZZZ', 404);
    await call('delete', '/api/v1/events/{id}', event, 409);
    await call('post', '/api/v1/bookings/{reference}/mark-paid', `${booking}/mark-paid`, 200);
    await call(
      'post',
      '/api/v1/bookings/{reference}/mark-paid',
      '/api/v1/bookings/ZZZZZZZZZZ/mark-paid',
      404,
    );
    await call('post', '/api/v1/bookings/{reference}/refunds', `${booking}/refunds`, 422, {
      body: { amountCents: 1_000_000 },
      refused: true,
    });
    await call('post', '/api/v1/bookings/{reference}/refunds', `${booking}/refunds`, 201, {
      body: { amountCents: 100 },
    });
    await call('post', '/api/v1/bookings/{reference}/cancel', `${booking}/cancel`, 200);
    await call('delete', '/api/v1/events/{id}', event, 204);

    await call('get', '/api/v1/users', '/api/v1/users', 200);
    await call('get', '/api/v1/settings', '/api/v1/settings', 200);
    await call('put', '/api/v1/settings', '/api/v1/settings', 200, {
      body: { name: 'Contract Box Office', description: '' },
    });
    await call('put', '/api/v1/settings', '/api/v1/settings', 400, {
      body: { name: '' },
      refused: true,
    });
    await call('get', '/api/v1/stats', '/api/v1/stats', 200);
    await call('get', '/api/v1/stats', '/api/v1/stats', 401, { as: null });
    await call('get', '/api/v1/stats', '/api/v1/stats', 403, { as: organiserToken });
  });

  it('answers the voucher routes as the document says', async () => {
    const created = await call('post', '/api/v1/events', '/api/v1/events', 201, {
      body: newEvent(),
    });
    const event = `/api/v1/events/${created.body.id}`;
    const vouchers = `${event}/vouchers`;
    await call('post', '/api/v1/events/{id}/publish', `${event}/publish`, 200);
    const ticketTypeId = created.body.ticketTypes[0].id as number;
    const made = await call('post', '/api/v1/events/{id}/vouchers', vouchers, 201, {
      body: { code: 'CONTRACT', priceMode: 'percent', value: 10, ticketTypeId, tag: 'doc' },
    });
    await call('post', '/api/v1/events/{id}/vouchers', vouchers, 201, { body: { count: 2 } });
    await call('post', '/api/v1/events/{id}/vouchers', vouchers, 409, {
      body: { code: 'contract' },
    });
    await call('post', '/api/v1/events/{id}/vouchers', vouchers, 409, {
      body: { ticketTypeId, reservesCapacity: true, maxUsages: 3 },
    });
    await call('post', '/api/v1/events/{id}/vouchers', vouchers, 400, {
      body: { count: 0 },
      refused: true,
    });
    const page = await call('get', '/api/v1/events/{id}/vouchers', `${vouchers}?limit=2`, 200);
    await call('get', '/api/v1/events/{id}/vouchers', '/api/v1/events/999999/vouchers', 404);
    await call('post', '/api/v1/events/{id}/bookings', `${event}/bookings`, 201, {
      body: { ...order(ticketTypeId), voucherCode: 'contract' },
    });
    const used = made.body.data[0].id as number;
    const unused = (page.body.data as { id: number }[]).find((voucher) => voucher.id !== used)!;
    await call('delete', '/api/v1/vouchers/{id}', `/api/v1/vouchers/${used}`, 409);
    await call('delete', '/api/v1/vouchers/{id}', `/api/v1/vouchers/${unused.id}`, 204);
    await call('delete', '/api/v1/vouchers/{id}', `/api/v1/vouchers/${unused.id}`, 404);
    await call('get', '/api/v1/events/{id}/waiting-list', `${event}/waiting-list`, 200);
    await call(
      'get',
      '/api/v1/events/{id}/waiting-list',
      '/api/v1/events/999999/waiting-list',
      404,
    );
  });

  it('answers the webhook routes as the document says', async () => {
    // A documentation address (TEST-NET-1): public, so accepted, and never reached.
    const made = await call('post', '/api/v1/webhooks', '/api/v1/webhooks', 201, {
      body: { url: 'https://192.0.2.10/hooks/boxoffice', events: ['booking.refunded'] },
    });
    await call('post', '/api/v1/webhooks', '/api/v1/webhooks', 400, {
      body: { url: 'http://192.0.2.10/hooks', events: ['booking.refunded'] },
      refused: true,
    });
    await call('get', '/api/v1/webhooks', '/api/v1/webhooks', 200);
    const id = made.body.id as number;
    await call('get', '/api/v1/webhooks/{id}/deliveries', `/api/v1/webhooks/${id}/deliveries`, 200);
    await call(
      'get',
      '/api/v1/webhooks/{id}/deliveries',
      '/api/v1/webhooks/999999/deliveries',
      404,
    );
    await call('delete', '/api/v1/webhooks/{id}', `/api/v1/webhooks/${id}`, 204);
    await call('delete', '/api/v1/webhooks/{id}', `/api/v1/webhooks/${id}`, 404);
  });

  it('answers the date routes as the document says', async () => {
    const created = await call('post', '/api/v1/events', '/api/v1/events', 201, {
      body: newEvent(),
    });
    const event = `/api/v1/events/${created.body.id}`;
    const dates = `${event}/dates`;
    await call('post', '/api/v1/events/{id}/publish', `${event}/publish`, 200);
    const ticketTypeId = created.body.ticketTypes[0].id as number;
    const first = created.body.dates[0].id as number;
    const startsAt = new Date(Date.now() + 50 * 86_400_000).toISOString();
    const one = await call('post', '/api/v1/events/{id}/dates', dates, 201, { body: { startsAt } });
    const from = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await call('post', '/api/v1/events/{id}/dates', dates, 201, {
      body: { rule: { freq: 'weekly', byWeekday: ['FR'], time: '20:00', from, count: 2 } },
    });
    await call('post', '/api/v1/events/{id}/dates', dates, 400, {
      body: { rule: { freq: 'weekly', byWeekday: ['XX'], time: '20:00', from, count: 2 } },
      refused: true,
    });
    await call('post', '/api/v1/events/{id}/dates', '/api/v1/events/999999/dates', 404, {
      body: { startsAt },
    });
    const added = one.body.data[0].id as number;
    await call('post', '/api/v1/events/{id}/bookings', `${event}/bookings`, 201, {
      body: { ...order(ticketTypeId), dateId: added },
    });
    await call('delete', '/api/v1/events/{id}/dates/{dateId}', `${dates}/${added}`, 409);
    await call('delete', '/api/v1/events/{id}/dates/{dateId}', `${dates}/${first}`, 204);
    await call('delete', '/api/v1/events/{id}/dates/{dateId}', `${dates}/${first}`, 404);
    await call(
      'post',
      '/api/v1/events/{id}/dates/{dateId}/cancel',
      `${dates}/${added}/cancel`,
      200,
    );
    await call('post', '/api/v1/events/{id}/dates/{dateId}/cancel', `${dates}/999999/cancel`, 404);
  });

  it('answers the seating routes as the document says', async () => {
    const created = await call('post', '/api/v1/events', '/api/v1/events', 201, {
      body: newEvent(),
    });
    const seating = `/api/v1/events/${created.body.id}/seating`;
    const ticketTypeId = created.body.ticketTypes[0].id as number;
    const map = { sections: [gridSection('Stalls', 2, 3, ticketTypeId)] };
    await call('put', '/api/v1/events/{id}/seating', seating, 200, { body: map });
    await call('get', '/api/v1/events/{id}/seating', seating, 200);
    await call('get', '/api/v1/events/{id}/seating', `${seating}?dateId=999999`, 404);
    await call('put', '/api/v1/events/{id}/seating', seating, 400, {
      body: { sections: [gridSection('Stalls', 1, 1, 999999)] },
      refused: true,
    });
    const event = `/api/v1/events/${created.body.id}`;
    await call('post', '/api/v1/events/{id}/publish', `${event}/publish`, 200);
    const drawn = await call('get', '/api/v1/events/{id}/seating', seating, 200);
    const [first, second] = drawn.body.sections[0].rows[0].seats as { id: number }[];
    const buyer = { attendeeName: 'Sid Seated', attendeeEmail: 'sid@example.com' };
    await call('post', '/api/v1/events/{id}/bookings', `${event}/bookings`, 201, {
      body: { ...buyer, seatIds: [first.id] },
    });
    await call('post', '/api/v1/events/{id}/bookings', `${event}/bookings`, 409, {
      body: { ...buyer, seatIds: [second.id, first.id] },
    });
    await call('post', '/api/v1/events/{id}/bookings', `${event}/bookings`, 201, {
      body: { ...buyer, bestAvailable: { ticketTypeId, quantity: 2 } },
    });
  });

  it('replays a booking by its Idempotency-Key with 200, and refuses the key with another order (409), as documented', async () => {
    const created = await call('post', '/api/v1/events', '/api/v1/events', 201, {
      body: newEvent(),
    });
    const event = `/api/v1/events/${created.body.id}`;
    await call('post', '/api/v1/events/{id}/publish', `${event}/publish`, 200);
    const ticketTypeId = created.body.ticketTypes[0].id as number;
    const key = `contract-${process.pid}`;
    const book = async (quantity: number) => {
      const body = order(ticketTypeId, quantity);
      expectValid(
        `${pointer('/api/v1/events/{id}/bookings', 'post')}/requestBody/content/application~1json/schema`,
        body,
      );
      const res = await api()
        .post(`${event}/bookings`)
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', key)
        .send(body);
      expectValid(
        `${pointer('/api/v1/events/{id}/bookings', 'post')}/responses/${res.status}/content/${String(res.headers['content-type']).split(';')[0].replace('/', '~1')}/schema`,
        res.body,
      );
      return res.status;
    };
    expect([await book(1), await book(1), await book(2)]).toEqual([201, 200, 409]);
  });

  it('checks every documented route at least once', () => {
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    const called = new Set([...checked].map((line) => line.split(' ').slice(0, 2).join(' ')));
    expect(routes.filter((route) => !called.has(route))).toEqual([]);
  });

  it('describes the bearer token as an opaque token, not a JWT', () => {
    const bearer = document.components.securitySchemes.bearer;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(bearer).not.toHaveProperty('bearerFormat');
  });
});

const order = (ticketTypeId: number, quantity = 1) => ({
  attendeeName: 'Cleo Contract',
  attendeeEmail: 'cleo@example.com',
  items: [{ ticketTypeId, quantity }],
});

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, object> };
}

/** A JSON pointer to one operation of the document. */
const pointer = (path: string, method: string) =>
  `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;

/** Every object schema that names its properties accepts no others: an undocumented field fails. */
function closed<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(closed);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (schema.properties && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(closed);
  }
  return node;
}
