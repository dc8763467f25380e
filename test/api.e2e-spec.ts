import request from 'supertest';
import { createApiToken, insertEvent, register, startTestApp, TestApp } from './support/test-app';

const futureIso = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

describe('admin JSON API (/api/v1)', () => {
  let testApp: TestApp;
  let admin: ReturnType<TestApp['browser']>;
  let token: string;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin); // the first account is the admin
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  it('shows a new token once and stores only its hash', async () => {
    const rows = await testApp.sql<{ token_hash: string }[]>('SELECT token_hash FROM api_tokens');
    expect(rows.map((row) => row.token_hash)).not.toContain(token);
    const page = await admin.get('/api-tokens');
    expect(page.text).not.toContain(token);
  });

  it('answers 401 problem+json without a token or with a bad one', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nope' }, { Authorization: token }]) {
      const res = await api().get('/api/v1/events').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('answers 403 to an organiser on /api-tokens', async () => {
    const organiser = testApp.browser();
    await register(organiser);
    expect((await organiser.get('/api-tokens')).status).toBe(403);
  });

  it('creates, reads, lists, publishes and deletes an event', async () => {
    const created = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({
        title: 'API Night',
        venue: 'Hall',
        startsAt: futureIso(),
        ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 10 }],
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'API Night',
      status: 'draft',
      publishedAt: null,
      ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 10, sold: 0, remaining: 10 }],
    });
    const id = created.body.id as number;

    const published = await api().post(`/api/v1/events/${id}/publish`).set(auth());
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');

    const list = await api().get('/api/v1/events?status=published&limit=5').set(auth());
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(list.body.data[0].id).toBe(id);

    const patched = await api()
      .patch(`/api/v1/events/${id}`)
      .set(auth())
      .send({ title: 'Renamed' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Renamed', venue: 'Hall' });

    expect((await api().delete(`/api/v1/events/${id}`).set(auth())).status).toBe(204);
    expect((await api().get(`/api/v1/events/${id}`).set(auth())).status).toBe(404);
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ startsAt: 'tomorrow' }, 'startsAt'],
    [{ ticketTypes: [] }, 'ticketTypes'],
    [{ ticketTypes: [{ name: 'A', priceCents: -1, capacity: 1 }] }, 'ticketTypes.0.priceCents'],
    [{ ticketTypes: [{ name: 'A', priceCents: 100, capacity: 0 }] }, 'ticketTypes.0.capacity'],
    [{ ticketTypes: [{ name: 'A', priceCents: 100, capacity: '5' }] }, 'ticketTypes.0.capacity'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j with 400 naming %s, creating nothing', async (override, field) => {
    const before = await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM events');
    const res = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({
        title: 'Valid',
        startsAt: futureIso(),
        ticketTypes: [{ name: 'A', priceCents: 100, capacity: 5 }],
        ...override,
      });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      (res.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toContain(field);
    expect(await testApp.sql('SELECT COUNT(*) AS n FROM events')).toEqual(before);
  });

  it('applies concurrent PATCHes of different fields of one event, losing none', async () => {
    const created = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({
        title: 'Title 0',
        venue: 'Venue 0',
        startsAt: futureIso(),
        ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 10 }],
      });
    const id = created.body.id as number;
    for (let round = 1; round <= 10; round++) {
      const answers = await Promise.all([
        api()
          .patch(`/api/v1/events/${id}`)
          .set(auth())
          .send({ title: `Title ${round}` }),
        api()
          .patch(`/api/v1/events/${id}`)
          .set(auth())
          .send({ venue: `Venue ${round}` }),
        api()
          .patch(`/api/v1/events/${id}`)
          .set(auth())
          .send({ description: `About ${round}` }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const stored = await api().get(`/api/v1/events/${id}`).set(auth());
      expect(stored.body).toMatchObject({
        title: `Title ${round}`,
        venue: `Venue ${round}`,
        description: `About ${round}`,
        ticketTypes: [{ name: 'Standard', priceCents: 1500, capacity: 10 }],
      });
    }
  });

  it('pages through the events: each one on exactly one page, in start order, types in order', async () => {
    for (let day = 300; day < 307; day++) {
      await insertEvent(testApp, {
        title: `Paged ${day}`,
        startsAt: new Date(Date.now() + day * 86_400_000),
        ticketTypes: [
          { name: 'First', capacity: 5 },
          { name: 'Second', capacity: 5 },
        ],
      });
    }
    const all = await api().get('/api/v1/events?limit=100').set(auth());
    const paged: { id: number; ticketTypes: { name: string }[] }[] = [];
    for (let offset = 0; offset < all.body.total; offset += 2) {
      const page = await api().get(`/api/v1/events?limit=2&offset=${offset}`).set(auth());
      expect(page.body.data.length).toBe(Math.min(2, all.body.total - offset));
      paged.push(...page.body.data);
    }
    expect(paged.map((event) => event.id)).toEqual(
      (all.body.data as { id: number }[]).map((event) => event.id),
    );
    const pagedEvent = paged.find((event) => event.ticketTypes[0]?.name === 'First')!;
    expect(pagedEvent.ticketTypes.map((type) => type.name)).toEqual(['First', 'Second']);
  });

  it.each(['0', '101', 'abc', '-1'])('refuses limit=%s with 400', async (limit) => {
    const res = await api().get(`/api/v1/events?limit=${limit}`).set(auth());
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('limit');
  });

  it('answers 400, not 500, to malformed JSON, and 413 to a body over 100 kB', async () => {
    const malformed = await api()
      .post('/api/v1/events')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send('{"title":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toBe('The body is not valid JSON.');
    const huge = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({ title: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a deeply nested JSON body with a bare 400, naming nothing of the parser', async () => {
    const res = await api()
      .post('/api/v1/events')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The body is not valid JSON.',
    });
  });

  it('reads and updates the site settings', async () => {
    const res = await api()
      .put('/api/v1/settings')
      .set(auth())
      .send({ name: 'API Box', description: 'Hello' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'API Box',
      description: 'Hello',
      currency: 'EUR',
      bankTransferInstructions: '',
      bankTransferDays: 3,
      onSitePayment: true,
      organiserApproval: false,
      requireTwoFactorForAdmins: false,
    });
    expect((await api().get('/api/v1/settings').set(auth())).body.name).toBe('API Box');
  });

  it('lists users without any password hash', async () => {
    const res = await api().get('/api/v1/users').set(auth());
    expect(res.status).toBe(200);
    expect(res.body.data[0]).toEqual(
      expect.objectContaining({
        email: expect.any(String),
        role: 'admin',
        displayName: expect.any(String),
      }),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password|hash/i);
  });

  it('reports platform stats', async () => {
    const res = await api().get('/api/v1/stats').set(auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      events: expect.any(Number),
      publishedEvents: expect.any(Number),
      ticketsSold: expect.any(Number),
      revenueCents: expect.any(Number),
      receivedCents: expect.any(Number),
    });
  });

  it('stops accepting a revoked token at once', async () => {
    const doomed = await createApiToken(admin, 'doomed');
    expect(
      (
        await api()
          .get('/api/v1/stats')
          .set({ Authorization: `Bearer ${doomed}` })
      ).status,
    ).toBe(200);
    const [{ id }] = await testApp.sql<{ id: number }[]>(
      "SELECT id FROM api_tokens WHERE name = 'doomed'",
    );
    expect((await admin.submit(`/api-tokens/${id}/revoke`, {}, '/api-tokens')).status).toBe(303);
    expect(
      (
        await api()
          .get('/api/v1/stats')
          .set({ Authorization: `Bearer ${doomed}` })
      ).status,
    ).toBe(401);
  });

  it('refuses a token whose owner is an organiser with 403', async () => {
    const [{ id: adminId }] = await testApp.sql<{ id: number }[]>(
      "SELECT id FROM users WHERE role = 'admin'",
    );
    const demoted = await createApiToken(admin, 'demoted');
    await testApp.sql("UPDATE users SET role = 'organiser' WHERE id = ?", [adminId]);
    try {
      expect(
        (
          await api()
            .get('/api/v1/stats')
            .set({ Authorization: `Bearer ${demoted}` })
        ).status,
      ).toBe(403);
    } finally {
      await testApp.sql("UPDATE users SET role = 'admin' WHERE id = ?", [adminId]);
    }
  });
});

describe('bookings through the admin API', () => {
  let testApp: TestApp;
  let token: string;
  let eventId: number;
  let ticketTypeId: number;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const buyer = (quantity = 1) => ({
    attendeeName: 'Ada Lovelace',
    attendeeEmail: 'ada@example.com',
    items: [{ ticketTypeId, quantity }],
  });

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0);
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    const created = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({
        title: 'Rush',
        startsAt: futureIso(),
        ticketTypes: [{ name: 'GA', priceCents: 2000, capacity: 10 }],
      });
    eventId = created.body.id as number;
    ticketTypeId = (created.body.ticketTypes as { id: number }[])[0].id;
    await api().post(`/api/v1/events/${eventId}/publish`).set(auth());
  });
  afterAll(() => testApp.close());

  it('books, reads and cancels a booking, returning its tickets once', async () => {
    const booked = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send(buyer(2));
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      eventId,
      status: 'confirmed',
      totalCents: 4000,
      cancelledAt: null,
    });
    expect(booked.body).not.toHaveProperty('secret');
    const reference = booked.body.reference as string;

    expect((await api().get(`/api/v1/bookings/${reference}`).set(auth())).body.reference).toBe(
      reference,
    );
    const list = await api().get(`/api/v1/events/${eventId}/bookings`).set(auth());
    expect(list.body).toMatchObject({ total: 1, limit: 20, offset: 0 });

    for (let i = 0; i < 2; i++) {
      const cancelled = await api().post(`/api/v1/bookings/${reference}/cancel`).set(auth());
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
    }
    const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
    expect(event.body.ticketTypes[0].sold).toBe(0);
  });

  it('replays the same Idempotency-Key and body with 200, and refuses another body with 409', async () => {
    const key = 'key-0001-replay';
    const bookingsBefore = await testApp.sql('SELECT id FROM bookings');
    const first = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .set('Idempotency-Key', key)
      .send(buyer(1));
    const again = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .set('Idempotency-Key', key)
      .send(buyer(1));
    const other = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .set('Idempotency-Key', key)
      .send(buyer(3));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.reference).toBe(first.body.reference);
    expect(other.status).toBe(409);
    expect(await testApp.sql('SELECT id FROM bookings')).toHaveLength(bookingsBefore.length + 1);
  });

  it('answers 404 for a draft or unknown event and 400 for a ticket type of another event', async () => {
    expect(
      (await api().post('/api/v1/events/99999/bookings').set(auth()).send(buyer())).status,
    ).toBe(404);
    const res = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({ ...buyer(), items: [{ ticketTypeId: 99999, quantity: 1 }] });
    expect(res.status).toBe(400);
  });

  it('names the repeated line when one ticket type is listed twice', async () => {
    const res = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({
        ...buyer(),
        items: [
          { ticketTypeId, quantity: 1 },
          { ticketTypeId, quantity: 1 },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'items.1.ticketTypeId', message: 'Each ticket type may appear only once.' },
    ]);
  });

  it('sells exactly the capacity to 300 simultaneous API buyers, answering the rest 409', async () => {
    const before = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.ticketTypes[0]
      .remaining as number;
    const responses = await Promise.all(
      Array.from({ length: 300 }, () =>
        api().post(`/api/v1/events/${eventId}/bookings`).set(auth()).send(buyer(1)),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(before);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
    expect(event.body.ticketTypes[0]).toMatchObject({ sold: 10, remaining: 0 });
  });
});
