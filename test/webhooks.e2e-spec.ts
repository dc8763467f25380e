import request from 'supertest';
import { eventually } from './support/eventually';
import {
  Browser,
  createApiToken,
  createEvent,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

/*
 * Webhooks (PRODUCT.md "Webhooks") against a real HTTP receiver on 127.0.0.1 (so
 * WEBHOOKS_ALLOW_PRIVATE=true here; the refusal without it is tested at the end), with retries
 * 200 ms apart and a 1 s timeout instead of 10 s each, so that the schedule runs in seconds.
 */
describe('webhooks', () => {
  let testApp: TestApp;
  let receiver: WebhookReceiver;
  let token: string;
  let organiser: Browser;
  let eventId: number;
  let ticketTypeId: number;
  let pathCounter = 0;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    testApp = await startTestApp({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_TIMEOUT_MS: '1000',
    });
    const admin = testApp.browser();
    await register(admin, uniqueEmail('admin'), 'Ada Admin');
    token = await createApiToken(admin);
    organiser = testApp.browser();
    await register(organiser, uniqueEmail('organiser'), 'Olive Organiser');
    eventId = await createEvent(testApp, organiser);
    [{ id: ticketTypeId }] = await ticketTypesOf(testApp, eventId);
  });
  afterAll(async () => {
    await testApp.close();
    await receiver.stop();
  });

  const api = () => request(testApp.app.getHttpServer());
  const bearer = () => ({ Authorization: `Bearer ${token}` });
  const newPath = () => `/hook-${++pathCounter}`;
  const register_ = (url: string, events: string[] = ['booking.confirmed']) =>
    api().post('/api/v1/webhooks').set(bearer()).send({ url, events });
  /** An organiser's endpoint, registered on /organiser/webhooks as they would; its secret read off the page. */
  async function organiserEndpoint(browser: Browser, path: string, events: string[]) {
    const res = await browser.agent
      .post('/organiser/webhooks')
      .type('form')
      .send(
        new URLSearchParams([
          ['_csrf', await browser.csrfToken('/organiser/webhooks')],
          ['url', receiver.url(path)],
          ...events.map((event): [string, string] => ['events', event]),
        ]).toString(),
      );
    expect(res.status).toBe(201);
    return /<code data-webhook-secret>([^<]+)<\/code>/.exec(res.text)![1];
  }
  const book = (event = eventId, type = ticketTypeId) =>
    api()
      .post(`/api/v1/events/${event}/bookings`)
      .set(bearer())
      .send({
        attendeeName: 'Wes Webhook',
        attendeeEmail: 'wes@example.com',
        items: [{ ticketTypeId: type, quantity: 1 }],
      });
  /** Deliveries to this receiver path still to be sent (or being sent). */
  const pendingTo = async (path: string) =>
    Number(
      (
        await testApp.sql<{ n: number }[]>(
          "SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.url = ? AND d.status = 'pending'",
          [receiver.url(path)],
        )
      )[0].n,
    );
  const deliveriesOf = async (id: number) =>
    (await api().get(`/api/v1/webhooks/${id}/deliveries`).set(bearer())).body as {
      data: {
        id: number;
        event: string;
        attempt: number;
        status: string;
        responseCode: number | null;
      }[];
    };

  it('registers an endpoint: 201 with the secret, shown only then', async () => {
    const res = await register_(receiver.url(newPath()), [
      'booking.confirmed',
      'booking.cancelled',
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      url: receiver.url(`/hook-${pathCounter}`),
      events: ['booking.confirmed', 'booking.cancelled'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const list = await api().get('/api/v1/webhooks').set(bearer());
    expect(list.body.data).toContainEqual({
      id: res.body.id,
      url: res.body.url,
      events: res.body.events,
      createdAt: res.body.createdAt,
    });
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
    const [row] = await testApp.sql<{ secret: string }[]>(
      'SELECT secret FROM webhook_endpoints WHERE id = ?',
      [res.body.id],
    );
    expect(row.secret).not.toContain(res.body.secret);
  });

  it('refuses bad input, naming the field', async () => {
    for (const [body, field] of [
      [{ url: 'ftp://example.org/x', events: ['booking.confirmed'] }, 'url'],
      [{ url: '', events: ['booking.confirmed'] }, 'url'],
      [{ url: 'https://u:p@example.org/x', events: ['booking.confirmed'] }, 'url'],
      [{ url: 'x'.repeat(2001), events: ['booking.confirmed'] }, 'url'],
      [{ url: 42, events: ['booking.confirmed'] }, 'url'],
      [{ url: receiver.url('/x'), events: [] }, 'events'],
      [{ url: receiver.url('/x'), events: ['booking.sold'] }, 'events'],
      [{ url: receiver.url('/x'), events: 'booking.confirmed' }, 'events'],
      [{ url: receiver.url('/x'), events: ['booking.confirmed', 'booking.confirmed'] }, 'events'],
      [{ url: receiver.url('/x') }, 'events'],
    ] as const) {
      const res = await api().post('/api/v1/webhooks').set(bearer()).send(body);
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
    }
    const noEvents = await organiser.submit(
      '/organiser/webhooks',
      { url: 'not a url' },
      '/organiser/webhooks',
    );
    expect(noEvents.status).toBe(422);
    expect(noEvents.text).toMatch(/id="events-error"/);
    expect(noEvents.text).toContain('value="not a url"');
    const badUrl = await organiser.submit(
      '/organiser/webhooks',
      { url: 'not a url', events: 'booking.refunded' },
      '/organiser/webhooks',
    );
    expect(badUrl.status).toBe(422);
    expect(badUrl.text).toMatch(/id="url-error"[^>]*>Enter a full URL/);
    expect(badUrl.text).toMatch(/value="booking.refunded" checked/);
  });

  it('delivers a confirmed booking, signed, and logs it', async () => {
    const path = newPath();
    const created = await register_(receiver.url(path));
    const booking = await book();
    expect(booking.status).toBe(201);
    const [receipt] = await eventually(() => receiver.to(path), 'the delivery');
    expect(
      verifySignature(created.body.secret, receipt.headers['boxoffice-signature'], receipt.body),
    ).toBe(true);
    expect(
      verifySignature('whsec_another', receipt.headers['boxoffice-signature'], receipt.body),
    ).toBe(false);
    const payload = JSON.parse(receipt.body);
    expect(payload).toMatchObject({
      type: 'booking.confirmed',
      data: { booking: { reference: booking.body.reference, status: 'confirmed', eventId } },
    });
    expect(receipt.headers['boxoffice-delivery']).toBe(payload.id);
    const logged = await eventually(async () => {
      const { data } = await deliveriesOf(created.body.id);
      return data[0]?.status === 'delivered' ? data : undefined;
    }, 'the delivery logged');
    expect(logged).toEqual([
      {
        id: Number(payload.id),
        event: 'booking.confirmed',
        attempt: 1,
        status: 'delivered',
        responseCode: 200,
        createdAt: expect.any(String),
      },
    ]);
  });

  it('a receiver that fails three times then succeeds gets the delivery once, the same body each time', async () => {
    const path = newPath();
    receiver.answer = (to, seen) => (to === path && seen < 3 ? 500 : 200);
    const created = await register_(receiver.url(path));
    await book();
    const delivered = await eventually(async () => {
      const { data } = await deliveriesOf(created.body.id);
      return data[0]?.status === 'delivered' ? data[0] : undefined;
    }, 'the fourth attempt');
    expect(delivered).toMatchObject({ attempt: 4, responseCode: 200 });
    const receipts = receiver.to(path);
    expect(receipts.map((receipt) => receipt.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receipts.map((receipt) => receipt.body)).size).toBe(1);
    // Delivered: nothing is left to send it again.
    expect(await pendingTo(path)).toBe(0);
    receiver.answer = () => 200;
  });

  it('a receiver that hangs does not hold up bookings; the attempt times out and is retried', async () => {
    const path = newPath();
    receiver.answer = (to, seen) => (to === path && seen < 1 ? 'hang' : 200);
    const created = await register_(receiver.url(path));
    expect((await book()).status).toBe(201);
    await eventually(() => receiver.hangingNow > 0, 'the receiver holding the first delivery');
    const bookings = await Promise.all(Array.from({ length: 4 }, () => book()));
    expect(bookings.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    // Answered while the receiver still held the first delivery's request open.
    expect(receiver.hangingNow).toBeGreaterThan(0);
    const done = await eventually(async () => {
      const { data } = await deliveriesOf(created.body.id);
      return data.length === 5 && data.every((delivery) => delivery.status === 'delivered')
        ? data
        : undefined;
    }, 'every delivery, the hung one retried');
    expect(done.map((delivery) => delivery.attempt).sort()).toEqual([1, 1, 1, 1, 2]);
    const [row] = await testApp.sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND attempts = 2',
      [created.body.id],
    );
    expect(Number(row.n)).toBe(1);
    receiver.answer = () => 200;
  });

  it('gives up a day after the delivery was queued, keeping it as failed', async () => {
    const path = newPath();
    receiver.answer = (to) => (to === path ? 503 : 200);
    const created = await register_(receiver.url(path));
    await book();
    await eventually(() => receiver.to(path), 'a first attempt');
    await writeSql(testApp, 'UPDATE webhook_deliveries SET created_at = ? WHERE endpoint_id = ?', [
      timestampParam(testApp, new Date(Date.now() - 25 * 3_600_000)),
      created.body.id,
    ]);
    const failed = await eventually(async () => {
      const { data } = await deliveriesOf(created.body.id);
      return data[0]?.status === 'failed' ? data[0] : undefined;
    }, 'the delivery given up');
    expect(failed.responseCode).toBe(503);
    expect(await pendingTo(path)).toBe(0);
    receiver.answer = () => 200;
  });

  it("an organiser's endpoint hears of their own events' bookings only, of the events it chose", async () => {
    const confirmedPath = newPath();
    const cancelledPath = newPath();
    const secret = await organiserEndpoint(organiser, confirmedPath, [
      'booking.confirmed',
      'booking.checked_in',
    ]);
    await organiserEndpoint(organiser, cancelledPath, ['booking.cancelled']);
    const other = testApp.browser();
    await register(other, uniqueEmail('other'));
    const otherEvent = await createEvent(testApp, other);
    const [{ id: otherType }] = await ticketTypesOf(testApp, otherEvent);
    await book(otherEvent, otherType);
    const mine = await book();
    const [receipt] = await eventually(
      () => receiver.to(confirmedPath),
      'the organiser’s delivery',
    );
    expect(verifySignature(secret, receipt.headers['boxoffice-signature'], receipt.body)).toBe(
      true,
    );
    expect(JSON.parse(receipt.body).data.booking.reference).toBe(mine.body.reference);

    const checkIn = await organiser.submit(
      `/organiser/events/${eventId}/check-in`,
      { reference: mine.body.reference },
      `/organiser/events/${eventId}/check-in`,
    );
    expect(checkIn.status).toBe(200);
    await eventually(
      () =>
        receiver.to(confirmedPath).find((r) => JSON.parse(r.body).type === 'booking.checked_in'),
      'the check-in',
    );
    expect(
      (await api().post(`/api/v1/bookings/${mine.body.reference}/cancel`).set(bearer())).status,
    ).toBe(200);
    const [cancelled] = await eventually(() => receiver.to(cancelledPath), 'the cancellation');
    expect(JSON.parse(cancelled.body)).toMatchObject({
      type: 'booking.cancelled',
      data: { booking: { status: 'cancelled' } },
    });
    await eventually(
      async () => (await pendingTo(confirmedPath)) + (await pendingTo(cancelledPath)) === 0,
      'nothing left to deliver',
    );
    expect(
      receiver.to(confirmedPath).map((r) => (JSON.parse(r.body) as { type: string }).type),
    ).toEqual(['booking.confirmed', 'booking.checked_in']);
    expect(receiver.to(cancelledPath)).toHaveLength(1);
  });

  it('sends a test, rotates the secret (shown once), lists deliveries on a page, and removes an endpoint', async () => {
    const path = newPath();
    await organiserEndpoint(organiser, path, ['booking.refunded']);
    const page = await organiser.get('/organiser/webhooks');
    const row = new RegExp(`data-endpoint="(\\d+)">\\s*<td[^>]*><a [^>]*>${receiver.url(path)}<`);
    const id = Number(row.exec(page.text)![1]);
    const rotated = await organiser.submit(
      `/organiser/webhooks/${id}/rotate-secret`,
      {},
      '/organiser/webhooks',
    );
    const secret = /<code data-webhook-secret>([^<]+)<\/code>/.exec(rotated.text)![1];
    expect((await organiser.get('/organiser/webhooks')).text).not.toContain(secret);
    const sent = await organiser.submit(
      `/organiser/webhooks/${id}/test`,
      {},
      '/organiser/webhooks',
    );
    expect(sent.headers.location).toBe(`/organiser/webhooks/${id}`);
    const [receipt] = await eventually(() => receiver.to(path), 'the test delivery');
    expect(JSON.parse(receipt.body)).toMatchObject({ type: 'webhook.test', data: {} });
    expect(verifySignature(secret, receipt.headers['boxoffice-signature'], receipt.body)).toBe(
      true,
    );
    const deliveries = await eventually(async () => {
      const res = await organiser.get(`/organiser/webhooks/${id}`);
      return res.text.includes('data-status="delivered"') ? res : undefined;
    }, 'the delivery on the page');
    expect(deliveries.text).toContain('webhook.test');
    expect((await organiser.get(`/organiser/webhooks/${id}?page=2`)).status).toBe(404);

    // Another account's endpoint is a 404, on the page and in the API.
    const stranger = testApp.browser();
    await register(stranger, uniqueEmail('stranger'));
    expect((await stranger.get(`/organiser/webhooks/${id}`)).status).toBe(404);
    expect(
      (await stranger.submit(`/organiser/webhooks/${id}/delete`, {}, '/organiser/webhooks')).status,
    ).toBe(404);
    expect((await api().delete(`/api/v1/webhooks/${id}`).set(bearer())).status).toBe(404);

    const removed = await organiser.submit(
      `/organiser/webhooks/${id}/delete`,
      {},
      '/organiser/webhooks',
    );
    expect(removed.status).toBe(303);
    expect((await organiser.get(`/organiser/webhooks/${id}`)).status).toBe(404);
  });

  it('allows ten endpoints an account; DELETE frees a place', async () => {
    const { body: mine } = await api().get('/api/v1/webhooks').set(bearer());
    const ids: number[] = [];
    for (let i = mine.data.length; i < 10; i++)
      ids.push((await register_(receiver.url(newPath()))).body.id);
    const refused = await register_(receiver.url(newPath()));
    expect(refused.status).toBe(409);
    const id = ids[0] ?? mine.data[0].id;
    expect((await api().delete(`/api/v1/webhooks/${id}`).set(bearer())).status).toBe(204);
    expect((await api().delete(`/api/v1/webhooks/${id}`).set(bearer())).status).toBe(404);
    expect((await register_(receiver.url(newPath()))).status).toBe(201);
  });

  it('without WEBHOOKS_ALLOW_PRIVATE refuses plain http and private or loopback targets', async () => {
    const strict = await startTestApp();
    try {
      const admin = strict.browser();
      await register(admin, uniqueEmail('strict'));
      const strictToken = await createApiToken(admin);
      for (const [url, problem] of [
        [receiver.url('/x'), /https:\/\//],
        [receiver.url('/x').replace('http:', 'https:'), /public address/],
        ['https://localhost/x', /public address/],
        ['https://10.0.0.8/x', /public address/],
        ['https://169.254.169.254/latest/meta-data', /public address/],
        ['https://[::1]/x', /public address/],
      ] as const) {
        const res = await request(strict.app.getHttpServer())
          .post('/api/v1/webhooks')
          .set('Authorization', `Bearer ${strictToken}`)
          .send({ url, events: ['booking.confirmed'] });
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toMatchObject({
          field: 'url',
          message: expect.stringMatching(problem),
        });
      }
      expect(await strict.sql('SELECT id FROM webhook_endpoints')).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
