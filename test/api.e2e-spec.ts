import request from 'supertest';
import { register, startTestApp, TestApp } from './support/test-app';

/** Creates an API token as the admin on /api-tokens, exactly as a user would, and reads it from the page. */
async function createToken(
  testApp: TestApp,
  admin: ReturnType<TestApp['browser']>,
  name = 'script',
) {
  const res = await admin.submit('/api-tokens', { name }, '/api-tokens');
  expect(res.status).toBe(201);
  return /<code data-api-token>([^<]+)<\/code>/.exec(res.text)![1];
}

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
    token = await createToken(testApp, admin);
  });
  afterAll(() => testApp.close());

  it('shows a new token once and stores only its hash', async () => {
    const rows = await testApp.db.query<{ token_hash: string }[]>(
      'SELECT token_hash FROM api_tokens',
    );
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
    const before = await testApp.db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM events');
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
    expect(await testApp.db.query('SELECT COUNT(*) AS n FROM events')).toEqual(before);
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
    const huge = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({ title: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('reads and updates the site settings', async () => {
    const res = await api()
      .put('/api/v1/settings')
      .set(auth())
      .send({ name: 'API Box', description: 'Hello' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'API Box', description: 'Hello' });
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
    });
  });

  it('stops accepting a revoked token at once', async () => {
    const doomed = await createToken(testApp, admin, 'doomed');
    expect(
      (
        await api()
          .get('/api/v1/stats')
          .set({ Authorization: `Bearer ${doomed}` })
      ).status,
    ).toBe(200);
    const [{ id }] = await testApp.db.query<{ id: number }[]>(
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
    const [{ id: adminId }] = await testApp.db.query<{ id: number }[]>(
      "SELECT id FROM users WHERE role = 'admin'",
    );
    const demoted = await createToken(testApp, admin, 'demoted');
    await testApp.db.query("UPDATE users SET role = 'organiser' WHERE id = ?", [adminId]);
    try {
      expect(
        (
          await api()
            .get('/api/v1/stats')
            .set({ Authorization: `Bearer ${demoted}` })
        ).status,
      ).toBe(403);
    } finally {
      await testApp.db.query("UPDATE users SET role = 'admin' WHERE id = ?", [adminId]);
    }
  });
});
