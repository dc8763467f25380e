import { sleep } from './support/app-process';
import request from 'supertest';
import { PAGE_TTL_MS } from '../src/page-cache/page-cache';
import {
  Browser,
  hiddenField,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('kept public pages', () => {
  let testApp: TestApp;
  let admin: Browser;
  let eventId: number;
  let ticketTypeId: number;
  const visitor = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin); // the first account is the admin
    ({
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(testApp, {
      title: 'Kept Concert',
      ticketTypes: [{ capacity: 50 }],
    }));
  });
  afterAll(() => testApp.close());

  /** Changes a row behind the app's back (no domain event), as another process would. */
  const renameBehindTheAppsBack = (title: string) =>
    testApp.sql('UPDATE events SET title = ? WHERE id = ?', [title, eventId]);

  it('serves a visitor the same page for up to a second, then renders it again', async () => {
    expect((await visitor().get('/attendee')).text).toContain('Kept Concert');
    await renameBehindTheAppsBack('Renamed Elsewhere');
    expect((await visitor().get('/attendee')).text).toContain('Kept Concert');
    await sleep(PAGE_TTL_MS + 100);
    expect((await visitor().get('/attendee')).text).toContain('Renamed Elsewhere');
  });

  it('shows a purchase made in this process on the very next request', async () => {
    const page = `/event/${eventId}`;
    expect((await visitor().get(page)).text).toContain('<td class="num">50</td>');
    const buyer = testApp.browser();
    const form = await buyer.get(`/buy-tickets/${eventId}`);
    const res = await buyer.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(form.text, '_csrf'),
      attendeeName: 'Ada',
      attendeeEmail: 'ada@example.com',
      [`quantities[${ticketTypeId}]`]: 3,
    });
    expect(res.status).toBe(303);
    expect((await visitor().get(page)).text).toContain('<td class="num">47</td>');
  });

  it('shows a settings change on the very next request', async () => {
    expect((await visitor().get('/')).status).toBe(200);
    const res = await admin.submit(
      '/update-settings',
      { name: 'Fresh Name', description: 'New.' },
      '/site-settings',
    );
    expect(res.status).toBe(303);
    expect((await visitor().get('/')).text).toContain('Fresh Name');
  });

  it('never keeps a page for a visitor with a session, nor a page with a query string', async () => {
    const browser = testApp.browser();
    await register(browser); // now holds a session (logged in)
    await visitor().get('/attendee');
    await visitor().get('/attendee?sort=soon');
    await renameBehindTheAppsBack('Seen At Once');
    expect((await browser.get('/attendee')).text).toContain('Seen At Once');
    expect((await visitor().get('/attendee?sort=soon')).text).toContain('Seen At Once');
  });

  it('answers from the kept copy with the security headers and a request id of its own', async () => {
    const first = await visitor().get('/');
    const second = await visitor().get('/');
    expect(second.text).toBe(first.text);
    expect(second.headers['content-security-policy']).toBe(
      first.headers['content-security-policy'],
    );
    expect(second.headers['x-content-type-options']).toBe('nosniff');
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });
});

describe('kept public pages in two processes on one database', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startTestApp({ DATABASE_URL: database.url });
    second = await startTestApp({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('shows a change made through one process on the other within a second', async () => {
    const { eventId } = await insertEvent(first, {
      title: 'Shared Show',
      ticketTypes: [{ capacity: 5 }],
    });
    const page = `/event/${eventId}`;
    expect((await request(second.app.getHttpServer()).get(page)).text).toContain(
      '<td class="num">5</td>',
    );
    await first.sql('UPDATE ticket_types SET sold = 2 WHERE event_id = ?', [eventId]);
    await first.sql(
      'UPDATE date_inventory SET sold = 2 WHERE ticket_type_id IN (SELECT id FROM ticket_types WHERE event_id = ?)',
      [eventId],
    );
    await sleep(PAGE_TTL_MS + 100);
    expect((await request(second.app.getHttpServer()).get(page)).text).toContain(
      '<td class="num">3</td>',
    );
  });
});
