import {
  buyWithForm,
  Browser,
  createApiToken,
  createEvent,
  eventFields,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';
import { createTestDatabase } from './support/test-database';

interface Row {
  actor: string;
  action: string;
  subject: string;
}

describe('the audit log (/audit-log)', () => {
  let testApp: TestApp;
  let admin: Browser;
  let organiser: Browser;
  let adminEmail: string;
  let organiserEmail: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    adminEmail = await register(admin); // the first account is the admin
    organiser = testApp.browser();
    organiserEmail = await register(organiser);
  });
  afterAll(() => testApp.close());

  const entries = () =>
    testApp.sql<Row[]>('SELECT actor, action, subject FROM audit_log ORDER BY id');

  const buy = (eventId: number) => buyWithForm(testApp, eventId);

  it('records who created, edited, published and deleted an event, cancelled bookings, changed settings and made or revoked tokens', async () => {
    const before = (await entries()).length;
    const eventId = await createEvent(testApp, organiser, { title: 'Audited <b>Night</b>' });
    const edited = await organiser.submit(
      `/edit-event/${eventId}`,
      {
        ...eventFields({ title: 'Audited Night, later' }),
        'ticketTypes[0][id]': (await ticketTypesOf(testApp, eventId))[0].id,
        'ticketTypes[1][id]': (await ticketTypesOf(testApp, eventId))[1].id,
      },
      `/edit-event/${eventId}`,
    );
    expect(edited.status).toBe(303);
    const byAttendee = await buy(eventId);
    expect(
      (
        await testApp
          .browser()
          .submit(`/booking/${byAttendee.reference}/cancel`, { secret: byAttendee.secret })
      ).status,
    ).toBe(303);
    const byOrganiser = await buy(eventId);
    expect(
      (
        await organiser.submit(
          `/organiser/events/${eventId}/bookings/${byOrganiser.reference}/cancel`,
          {},
          '/organiser',
        )
      ).status,
    ).toBe(303);
    expect((await organiser.submit(`/delete-event/${eventId}`, {}, '/organiser')).status).toBe(303);
    expect(
      (
        await admin.submit(
          '/update-settings',
          { name: 'Audited Box Office', description: 'Now with a log.' },
          '/site-settings',
        )
      ).status,
    ).toBe(303);
    await createApiToken(admin, 'audited');
    const [{ id: tokenId }] = await testApp.sql<{ id: number }[]>(
      "SELECT id FROM api_tokens WHERE name = 'audited'",
    );
    expect((await admin.submit(`/api-tokens/${tokenId}/revoke`, {}, '/api-tokens')).status).toBe(
      303,
    );

    const event = `event ${eventId}`;
    expect((await entries()).slice(before)).toEqual([
      {
        actor: organiserEmail,
        action: 'event.created',
        subject: `${event} "Audited <b>Night</b>"`,
      },
      {
        actor: organiserEmail,
        action: 'event.published',
        subject: `${event} "Audited <b>Night</b>"`,
      },
      {
        actor: organiserEmail,
        action: 'event.updated',
        subject: `${event} "Audited Night, later"`,
      },
      {
        actor: 'attendee',
        action: 'booking.cancelled',
        subject: `booking ${byAttendee.reference}`,
      },
      {
        actor: organiserEmail,
        action: 'booking.cancelled',
        subject: `booking ${byOrganiser.reference}`,
      },
      {
        actor: organiserEmail,
        action: 'event.deleted',
        subject: `${event} "Audited Night, later"`,
      },
      { actor: adminEmail, action: 'settings.updated', subject: 'site settings' },
      { actor: adminEmail, action: 'api-token.created', subject: `API token ${tokenId} "audited"` },
      { actor: adminEmail, action: 'api-token.revoked', subject: `API token ${tokenId} "audited"` },
    ]);
  });

  it('records registrations, and the admin that ADMIN_EMAIL creates at start-up as the system', async () => {
    const registered = await testApp.sql<Row[]>(
      "SELECT actor, action, subject FROM audit_log WHERE action = 'user.registered' ORDER BY id",
    );
    expect(registered.map((row) => row.actor)).toEqual([adminEmail, organiserEmail]);
    const configured = await startTestApp({
      ADMIN_EMAIL: 'ops@example.com',
      ADMIN_PASSWORD: 'a long admin passphrase',
    });
    try {
      expect(
        await configured.sql('SELECT actor, action FROM audit_log WHERE subject LIKE ?', [
          '%ops@example.com',
        ]),
      ).toEqual([{ actor: 'system', action: 'user.registered' }]);
    } finally {
      await configured.close();
    }
  });

  it('records the promotion of an existing account by ADMIN_EMAIL at start-up, as the system', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({ DATABASE_URL: database.url });
    let promoted: string;
    try {
      await register(first.browser()); // the admin
      promoted = await register(first.browser());
    } finally {
      await first.close();
    }
    const second = await startTestApp({
      DATABASE_URL: database.url,
      ADMIN_EMAIL: promoted,
      ADMIN_PASSWORD: 'a long admin passphrase',
    });
    try {
      const [{ id }] = await second.sql<{ id: number }[]>('SELECT id FROM users WHERE email = ?', [
        promoted,
      ]);
      expect(
        await second.sql(
          "SELECT actor, action, subject FROM audit_log WHERE action = 'user.promoted'",
        ),
      ).toEqual([{ actor: 'system', action: 'user.promoted', subject: `user ${id} ${promoted}` }]);
    } finally {
      await second.close();
      await database.drop();
    }
  });

  it('records nothing for a refused change: the entry goes with the change', async () => {
    const eventId = await createEvent(testApp, organiser);
    await buy(eventId);
    const before = await entries();
    const refused = await organiser.submit(`/delete-event/${eventId}`, {}, '/organiser');
    expect(refused.status).toBe(409);
    expect(await entries()).toEqual(before);
  });

  it('shows the entries to the admin, newest first and escaped', async () => {
    const res = await admin.get('/audit-log');
    expect(res.status).toBe(200);
    expect(res.text).toContain('api-token.revoked');
    expect(res.text).toContain('Audited &lt;b&gt;Night&lt;/b&gt;');
    expect(res.text).not.toContain('<b>Night</b>');
    expect(res.text.indexOf('api-token.revoked')).toBeLessThan(
      res.text.indexOf('api-token.created'),
    );
  });

  it.each(['0', '-1', 'abc', '1e3'])('shows the first page for ?page=%s', async (page) => {
    expect((await admin.get(`/audit-log?page=${page}`)).status).toBe(200);
  });

  it.each(['99999', '99999999'])('answers 404 for ?page=%s, past the last page', async (page) => {
    expect((await admin.get(`/audit-log?page=${page}`)).status).toBe(404);
  });

  it('is for admins only: 403 to an organiser, the login page to a visitor', async () => {
    expect((await organiser.get('/audit-log')).status).toBe(403);
    const visitor = await testApp.browser().get('/audit-log');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Faudit-log');
  });
});
