import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { decodeQuotedPrintable } from '../support/quoted-printable';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver';

/*
 * What must happen once, with two app processes on one PostgreSQL database and one Redis:
 * each webhook delivery reaches its receiver (2xx) once, though both processes' workers claim
 * deliveries side by side; a TOTP code lets one login in, an invitation link one member,
 * wherever the attempts land; two owners demoting each other leave one owner.
 */
describe('webhooks, sign-in codes and teams across two app processes (PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let apps: TestApp[];
  let receiver: WebhookReceiver;
  let outboxDir: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    database = await createTestDatabase('postgres');
    outboxDir = mkdtempSync(join(tmpdir(), 'scale-out-outbox-'));
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      OUTBOX_DIR: outboxDir,
    };
    apps = [await startTestApp(env), await startTestApp(env)];
    await Promise.all(apps.map((app) => app.app.listen(0, '127.0.0.1')));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
    await receiver.stop();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  /** A new account logged in through `app`, in a browser that may go to either process. */
  async function account(app: TestApp, name: string) {
    const browser = new RoamingBrowser();
    const email = uniqueEmail(name.toLowerCase().replace(/ /g, '-'));
    const form = await browser.get(app, '/register');
    const res = await browser.post(app, '/register', {
      email,
      password: 'correct horse battery',
      displayName: name,
      _csrf: hiddenField(form.text, '_csrf'),
    });
    expect(res.status).toBe(303);
    return { browser, email };
  }
  const submit = async (browser: RoamingBrowser, app: TestApp, path: string, fields = {}) => {
    const form = await browser.get(app, '/organiser');
    return browser.post(app, path, { ...fields, _csrf: hiddenField(form.text, '_csrf') });
  };
  const invitationTo = (email: string) =>
    eventually(() => {
      const mail = readdirSync(outboxDir)
        .filter((name) => name.endsWith('-team.invitation.eml'))
        .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
        .find((text) => text.includes(email));
      return mail && /token=([1-9][0-9]*\.[A-Za-z0-9_-]{43})/.exec(mail)![1];
    }, `the invitation to ${email}`);
  const ownersOf = async (name: string) =>
    Number(
      (
        await apps[0].sql<{ owners: number }[]>(
          `SELECT COUNT(*) AS owners FROM memberships JOIN organisations
           ON organisations.id = memberships.organisation_id
           WHERE organisations.name = ? AND memberships.role = 'owner'`,
          [name],
        )
      )[0].owners,
    );

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

  it('an invitation link pressed by 60 accounts at once, half on each process, makes one member', async () => {
    const owner = await account(apps[0], 'Crowded Org');
    const accounts = [];
    for (let i = 0; i < 60; i++) accounts.push(await account(apps[i % 2], 'Joiner'));
    const invited = uniqueEmail('invited');
    const sent = await submit(owner.browser, apps[1], '/organiser/team/invitations', {
      email: invited,
      role: 'door',
    });
    expect(sent.status).toBe(303);
    const token = await invitationTo(invited);
    const pages = await Promise.all(
      accounts.map(({ browser }, i) =>
        browser.get(apps[(i + 1) % 2], `/invitations/accept?token=${token}`),
      ),
    );
    const answers = await Promise.all(
      accounts.map(({ browser }, i) =>
        browser.post(apps[i % 2], '/invitations/accept', {
          token,
          _csrf: hiddenField(pages[i].text, '_csrf'),
        }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 303)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(59);
    const [{ members }] = await apps[0].sql<{ members: number }[]>(
      `SELECT COUNT(*) AS members FROM memberships JOIN organisations
       ON organisations.id = memberships.organisation_id WHERE organisations.name = 'Crowded Org'`,
    );
    expect(Number(members)).toBe(2);
  });

  it('two owners demoting each other 100 times at once, one on each process, leave one owner', async () => {
    const first = await account(apps[0], 'Duelling Org');
    const second = await account(apps[1], 'Second Owner');
    await submit(first.browser, apps[0], '/organiser/team/invitations', {
      email: second.email,
      role: 'owner',
    });
    const token = await invitationTo(second.email);
    const page = await second.browser.get(apps[1], `/invitations/accept?token=${token}`);
    const joined = await second.browser.post(apps[1], '/invitations/accept', {
      token,
      _csrf: hiddenField(page.text, '_csrf'),
    });
    expect(joined.status).toBe(303);
    expect(await ownersOf('Duelling Org')).toBe(2);
    const ids = await apps[0].sql<{ id: number; email: string }[]>(
      `SELECT memberships.id, users.email FROM memberships JOIN users ON users.id = memberships.user_id
       JOIN organisations ON organisations.id = memberships.organisation_id
       WHERE organisations.name = 'Duelling Org'`,
    );
    const idOf = (email: string) => ids.find((row) => row.email === email)!.id;
    const [csrfFirst, csrfSecond] = await Promise.all([
      first.browser.get(apps[0], '/organiser/team'),
      second.browser.get(apps[1], '/organiser/team'),
    ]).then((pages) => pages.map((res) => hiddenField(res.text, '_csrf')));
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0
          ? first.browser.post(apps[0], `/organiser/team/members/${idOf(second.email)}/role`, {
              role: 'manager',
              _csrf: csrfFirst,
            })
          : second.browser.post(apps[1], `/organiser/team/members/${idOf(first.email)}/remove`, {
              _csrf: csrfSecond,
            }),
      ),
    );
    expect(answers.filter((res) => res.status >= 500)).toEqual([]);
    expect(await ownersOf('Duelling Org')).toBe(1);
  });
});
