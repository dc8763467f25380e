import request from 'supertest';
import {
  createApiToken,
  hiddenField,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * An idempotency key belongs to whoever sent it (PRODUCT.md "Abuse limits"): a form's key to
 * its browser, an API key to its token. The same key from someone else is another key.
 */
describe('idempotency keys, scoped to their sender', () => {
  let testApp: TestApp;
  let token: string;
  let eventId: number;
  let ticketTypeId: number;
  const order = {
    attendeeName: 'Ada Lovelace',
    attendeeEmail: 'ada@example.com',
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    ({
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100 }] }));
  });
  afterAll(() => testApp.close());

  const apiBooking = (key: string, apiToken = token) =>
    request(testApp.app.getHttpServer())
      .post(`/api/v1/events/${eventId}/bookings`)
      .set('Authorization', `Bearer ${apiToken}`)
      .set('Idempotency-Key', key)
      .send({ ...order, items: [{ ticketTypeId, quantity: 1 }] });

  async function formBooking(key: string) {
    const browser = testApp.browser();
    const form = await browser.get(`/buy-tickets/${eventId}`);
    const res = await browser.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(form.text, '_csrf'),
      idempotencyKey: key,
      ...order,
      [`quantities[${ticketTypeId}]`]: 1,
    });
    return { res, browser };
  }

  it('lets a form squatting a key leave the API booking with that key unaffected (201, not 409)', async () => {
    const key = `order-0001-${process.pid}`;
    const squatted = await formBooking(key);
    expect(squatted.res.status).toBe(303);
    const api = await apiBooking(key);
    expect(api.status).toBe(201);
    expect(squatted.res.headers.location).not.toContain(api.body.reference);
  });

  it('never gives a form post someone else’s API booking for its key and order: it books its own', async () => {
    const key = `hijack-${process.pid}`;
    const api = await apiBooking(key);
    expect(api.status).toBe(201);
    const secretBefore = await testApp.sql<{ secret: string }[]>(
      'SELECT secret FROM bookings WHERE reference = ?',
      [api.body.reference],
    );
    const hijack = await formBooking(key);
    expect(hijack.res.status).toBe(303);
    expect(hijack.res.headers.location).not.toContain(api.body.reference);
    const page = await hijack.browser.get(String(hijack.res.headers.location));
    expect(page.text).not.toContain(secretBefore[0].secret);
    expect((await hijack.browser.get(`/booking/${api.body.reference}`)).status).toBe(404);
  });

  it('keeps two tokens’ keys apart: the same key from another token books anew', async () => {
    const key = `shared-${process.pid}`;
    const first = await apiBooking(key);
    const second = await apiBooking(key, await otherToken());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.reference).not.toBe(first.body.reference);
    // …while each token still gets its own booking back for its own key.
    const replay = await apiBooking(key);
    expect(replay.status).toBe(200);
    expect(replay.body.reference).toBe(first.body.reference);
  });

  /** A second admin's token. */
  async function otherToken(): Promise<string> {
    const other = testApp.browser();
    const email = await register(other);
    await testApp.sql("UPDATE users SET role = 'admin' WHERE email = ?", [email]);
    return createApiToken(other, 'other');
  }
});
