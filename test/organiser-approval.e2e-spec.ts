import request from 'supertest';
import {
  Browser,
  createApiToken,
  createEvent,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';

/*
 * No spam relay through new accounts (PRODUCT.md "Abuse limits"): with
 * site_settings.organiser_approval on, a new organiser's events go public only once an admin
 * has approved the account on /users/list-users. Off by default, so Part 1 holds.
 */
describe('organiser approval', () => {
  let testApp: TestApp;
  let admin: Browser;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin, uniqueEmail('admin'));
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  const setApproval = (organiserApproval: boolean) =>
    request(testApp.app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ organiserApproval });
  const statusOf = async (eventId: number) =>
    (
      await testApp.sql<{ status: string }[]>('SELECT status FROM events WHERE id = ?', [eventId])
    )[0].status;
  async function newOrganiserWithDraft() {
    const organiser = testApp.browser();
    const email = await register(organiser, uniqueEmail('newcomer'));
    const eventId = await createEvent(testApp, organiser, {}, { publish: false });
    return { organiser, email, eventId };
  }
  const publish = (organiser: Browser, eventId: number) =>
    organiser.submit(`/publish-event/${eventId}`, {}, '/organiser');

  it('is off by default: a new organiser publishes at once', async () => {
    const settings = await request(testApp.app.getHttpServer())
      .get('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`);
    expect(settings.body.organiserApproval).toBe(false);
    const { organiser, eventId } = await newOrganiserWithDraft();
    expect((await publish(organiser, eventId)).status).toBe(303);
    expect(await statusOf(eventId)).toBe('published');
  });

  it('keeps a new organiser’s event a draft (409) until an admin approves the account, then publishes it', async () => {
    expect((await setApproval(true)).body.organiserApproval).toBe(true);
    const { organiser, email, eventId } = await newOrganiserWithDraft();
    const refused = await publish(organiser, eventId);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('waiting for an administrator’s approval');
    expect(await statusOf(eventId)).toBe('draft');

    const users = await admin.get('/users/list-users');
    const [{ id }] = await testApp.sql<{ id: number }[]>('SELECT id FROM users WHERE email = ?', [
      email,
    ]);
    expect(users.text).toContain(`action="/users/${id}/approve"`);
    expect((await admin.submit(`/users/${id}/approve`, {}, '/users/list-users')).status).toBe(303);
    expect((await publish(organiser, eventId)).status).toBe(303);
    expect(await statusOf(eventId)).toBe('published');
    const audit = await testApp.sql<{ action: string }[]>(
      "SELECT action FROM audit_log WHERE action = 'user.approved'",
    );
    expect(audit).toHaveLength(1);
  });

  it('asks nothing of the organisers there were when it was switched on', async () => {
    await setApproval(false);
    const earlier = await newOrganiserWithDraft();
    await setApproval(true);
    expect((await publish(earlier.organiser, earlier.eventId)).status).toBe(303);
  });

  it('lets only admins approve: an organiser gets 403 and nothing changes', async () => {
    const { organiser, email } = await newOrganiserWithDraft();
    const [{ id }] = await testApp.sql<{ id: number }[]>('SELECT id FROM users WHERE email = ?', [
      email,
    ]);
    expect((await organiser.submit(`/users/${id}/approve`, {}, '/organiser')).status).toBe(403);
    const [{ approved_at }] = await testApp.sql<{ approved_at: unknown }[]>(
      'SELECT approved_at FROM users WHERE id = ?',
      [id],
    );
    expect(approved_at).toBeNull();
  });

  it('is switched on the settings page too, and a PUT that leaves it out keeps it', async () => {
    const form = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '', organiserApproval: 'on' },
      '/site-settings',
    );
    expect(form.status).toBe(303);
    const kept = await request(testApp.app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Box office' });
    expect(kept.body).toMatchObject({
      name: 'Box office',
      description: '',
      organiserApproval: true,
    });
    const off = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '' },
      '/site-settings',
    );
    expect(off.status).toBe(303);
    expect((await setApproval(true)).status).toBe(200);
  });
});
