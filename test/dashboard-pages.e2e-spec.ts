import {
  Browser,
  createEvent,
  register,
  sqliteDateTime,
  startTestApp,
  TestApp,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const CARD = '<section class="card dashboard-event">';
const eventIdsOn = (html: string) =>
  [...html.matchAll(/<h2><a href="\/edit-event\/(\d+)">/g)].map((match) => Number(match[1]));

describe('the organiser dashboard with thousands of events', () => {
  let testApp: TestApp;
  let admin: Browser;
  let organiser: Browser;
  let ownEvent: number;
  const EVENTS = 5000;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin, uniqueEmail('admin'), 'Ada Admin');
    organiser = testApp.browser();
    await register(organiser, uniqueEmail('olive'), 'Olive Organiser');
    ownEvent = await createEvent(testApp, organiser, { title: 'Olive’s own night' });
    // Another organiser's 5,000 events (one ticket type each), written in two statements.
    const [{ id: otherId }] = await testApp.sql<{ id: number }[]>(
      "SELECT id FROM users WHERE display_name = 'Ada Admin'",
    );
    const startsAt = new Date(Date.now() + 90 * 86_400_000);
    await writeSql(
      testApp,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS})
       INSERT INTO events (organiser_id, organisation_id, title, description, venue, starts_at, status, max_tickets_per_type)
       SELECT ?, (SELECT organisation_id FROM memberships WHERE user_id = ?), 'Bulk event', '', 'Hall', ?, 'draft', 10 FROM n`,
      [
        otherId,
        otherId,
        testApp.db.options.type === 'postgres' ? startsAt : sqliteDateTime(startsAt),
      ],
    );
    await writeSql(
      testApp,
      `INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold, sort_order)
       SELECT id, 'Standard', 1000, 100, 0, 0 FROM events WHERE title = 'Bulk event'`,
    );
    await writeSql(
      testApp,
      `INSERT INTO event_dates (event_id, starts_at)
       SELECT id, starts_at FROM events WHERE title = 'Bulk event'`,
    );
    await writeSql(
      testApp,
      `INSERT INTO date_inventory (date_id, ticket_type_id, capacity)
       SELECT event_dates.id, ticket_types.id, 100 FROM events
       JOIN event_dates ON event_dates.event_id = events.id
       JOIN ticket_types ON ticket_types.event_id = events.id
       WHERE events.title = 'Bulk event'`,
    );
  }, 120_000);
  afterAll(() => testApp.close());

  it('shows the admin twenty events a page, with a link to the next', async () => {
    const res = await admin.get('/organiser');
    expect(res.status).toBe(200);
    expect(res.text.split(CARD)).toHaveLength(21);
    expect(res.text).toContain('href="/organiser?page=2" rel="next"');
    // A page's size does not grow with the number of events.
    expect(Buffer.byteLength(res.text)).toBeLessThan(200_000);
  });

  it('shows every event on exactly one page, and 404 past the last page', async () => {
    const pages = Math.ceil((EVENTS + 1) / 20);
    const last = await admin.get(`/organiser?page=${pages}`);
    expect(last.status).toBe(200);
    expect(eventIdsOn(last.text)).toHaveLength((EVENTS + 1) % 20 || 20);
    expect(last.text).not.toContain('rel="next"');
    expect((await admin.get(`/organiser?page=${pages + 1}`)).status).toBe(404);
    const seen = new Set<number>();
    for (const page of [1, 2, 3]) {
      for (const id of eventIdsOn((await admin.get(`/organiser?page=${page}`)).text)) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(60);
  });

  it("counts the platform's totals over every event, not the page", async () => {
    const res = await admin.get('/organiser');
    expect(res.text).toContain(`<dd data-stat="events">${EVENTS + 1}</dd>`);
  });

  it("shows an organiser their own events only, however many others' there are", async () => {
    const res = await organiser.get('/organiser');
    expect(eventIdsOn(res.text)).toEqual([ownEvent]);
    expect(res.text).not.toContain('rel="next"');
  });
});
