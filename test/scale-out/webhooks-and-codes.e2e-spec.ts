import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { RoamingBrowser } from '../support/roaming-browser';
import {
  createApiToken,
  createEvent,
  hiddenField,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { eventually } from '../support/eventually';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver';

/*
 * What must happen once, with two app processes on one PostgreSQL database and one Redis:
 * each webhook delivery reaches its receiver (2xx) once, though both processes' workers claim
 * deliveries side by side; a TOTP code lets one login in, wherever the attempts land.
 */
describe('webhooks and sign-in codes across two app processes (PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let apps: TestApp[];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    database = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
    await Promise.all(apps.map((app) => app.app.listen(0, '127.0.0.1')));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
    await receiver.stop();
  });

  it('200 bookings through both: every delivery is answered 2xx exactly once, retries included', async () => {
    const admin = apps[0].browser();
    await register(admin, uniqueEmail('admin'));
    const token = await createApiToken(admin);
    const eventId = await createEvent(apps[0], admin, { 'ticketTypes[0][capacity]': '500' });
    const [{ id: ticketTypeId }] = await ticketTypesOf(apps[0], eventId);
    const endpoint = await request(apps[1].app.getHttpServer())
      .post('/api/v1/webhooks')
      .set('Authorization', `Bearer ${token}`)
      .send({ url: receiver.url('/rush'), events: ['booking.confirmed'] });
    expect(endpoint.status).toBe(201);
    const secret = endpoint.body.secret as string;
    // Every third delivery fails its first attempt: its retry is claimed by either process.
    const attemptsSeen = new Map<string, number>();
    receiver.answer = (_path, _seen, body) => {
      const id = (JSON.parse(body) as { id: string }).id;
      const before = attemptsSeen.get(id) ?? 0;
      attemptsSeen.set(id, before + 1);
      return Number(id) % 3 === 0 && before === 0 ? 500 : 200;
    };

    const references: string[] = [];
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(apps[i % 2].app.getHttpServer())
            .post(`/api/v1/events/${eventId}/bookings`)
            .set('Authorization', `Bearer ${token}`)
            .send({
              attendeeName: 'Rush Buyer',
              attendeeEmail: `buyer${round}-${i}@example.com`,
              items: [{ ticketTypeId, quantity: 1 }],
            }),
        ),
      );
      expect(answers.map((res) => res.status).filter((status) => status !== 201)).toEqual([]);
      references.push(...answers.map((res) => res.body.reference as string));
    }
    const delivered = await eventually(
      () => {
        const ok = receiver.to('/rush').filter((receipt) => receipt.status === 200);
        return ok.length >= 200 ? ok : undefined;
      },
      '200 deliveries answered 2xx',
      30_000,
    );
    const ids = delivered.map((receipt) => (JSON.parse(receipt.body) as { id: string }).id);
    expect(new Set(ids).size).toBe(200);
    const told = delivered.map(
      (receipt) =>
        (JSON.parse(receipt.body) as { data: { booking: { reference: string } } }).data.booking
          .reference,
    );
    expect(new Set(told)).toEqual(new Set(references));
    expect(
      delivered.every((receipt) =>
        verifySignature(secret, receipt.headers['boxoffice-signature'], receipt.body),
      ),
    ).toBe(true);
    expect([...attemptsSeen.values()].filter((count) => count > 2)).toEqual([]);
    const [{ pending }] = await apps[0].sql<{ pending: number }[]>(
      "SELECT COUNT(*) AS pending FROM webhook_deliveries WHERE status <> 'delivered'",
    );
    expect(Number(pending)).toBe(0);
  });

  it('a TOTP code posted by 60 logins at once, half to each process, lets exactly one in', async () => {
    const owner = apps[0].browser();
    const email = await register(owner, uniqueEmail('careful'));
    const setup = await owner.submit('/account/2fa/setup', {}, '/account');
    const secret = /data-totp-secret>([A-Z2-7 ]+)</.exec(setup.text)![1].replace(/ /g, '');
    const now = TOTP.generate({ secret: Secret.fromBase32(secret) });
    expect((await owner.submit('/account/2fa/enable', { code: now }, '/account')).status).toBe(200);

    const logins = [];
    for (let i = 0; i < 60; i++) {
      const browser = new RoamingBrowser();
      const form = await browser.get(apps[i % 2], '/login');
      const password = await browser.post(apps[i % 2], '/login', {
        email,
        password: 'correct horse battery',
        _csrf: hiddenField(form.text, '_csrf'),
      });
      expect(password.headers.location).toBe('/login/2fa');
      const codeForm = await browser.get(apps[(i + 1) % 2], '/login/2fa');
      logins.push({
        browser,
        target: apps[(i + 1) % 2],
        csrf: hiddenField(codeForm.text, '_csrf'),
      });
    }
    const next = TOTP.generate({
      secret: Secret.fromBase32(secret),
      timestamp: Date.now() + 30_000,
    });
    const answers = await Promise.all(
      logins.map(({ browser, target, csrf }) =>
        browser.post(target, '/login/2fa', { code: next, _csrf: csrf }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 303)).toHaveLength(1);
    expect(statuses.filter((status) => status === 422)).toHaveLength(59);
  });
});
