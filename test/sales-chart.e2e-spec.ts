import request from 'supertest';
import {
  buyWithForm as buyThroughForm,
  Browser,
  createApiToken,
  createEvent,
  register,
  sqliteDateTime,
  startTestApp,
  TestApp,
  ticketTypesOf,
  writeSql,
} from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const SCRIPT = '<script>alert(1)</script>';
const utcDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * On PostgreSQL the app's sessions run in a time zone far from UTC (SQLite has none),
 * so a sale late in a UTC evening would land on the next day if the query bucketed by local time.
 */
async function startAppAwayFromUtc(database: TestDatabase): Promise<TestApp> {
  const url = new URL(database.url);
  if (url.protocol === 'postgres:') {
    url.searchParams.set(
      'options',
      `${url.searchParams.get('options')} -c TimeZone=Pacific/Auckland`,
    );
  }
  return startTestApp({ DATABASE_URL: url.toString() });
}

describe('sales at a glance on the organiser dashboard', () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let admin: Browser;
  let alice: Browser;
  let bob: Browser;
  let token: string;
  let concert: number;
  let lecture: number;
  let bobsGig: number;
  let lastSaleDay: string;
  const api = () => request(testApp.app.getHttpServer());

  /** Books through the attendee's purchase form; quantities in ticket type order. */
  const buyWithForm = (eventId: number, quantities: number[]) =>
    buyThroughForm(testApp, eventId, { quantities, attendeeName: 'Ada Attendee' });

  /** Books the first ticket type through the admin API; returns the booking's reference. */
  async function buyWithApi(eventId: number, quantity: number): Promise<string> {
    const [first] = await ticketTypesOf(testApp, eventId);
    const res = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        attendeeName: 'Bea Buyer',
        attendeeEmail: 'bea@example.com',
        items: [{ ticketTypeId: first.id, quantity }],
      });
    expect(res.status).toBe(201);
    return (res.body as { reference: string }).reference;
  }

  async function cancelWithApi(reference: string) {
    const res = await api()
      .post(`/api/v1/bookings/${reference}/cancel`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.body.status).toBe('cancelled');
  }

  async function dashboardSection(browser: Browser, eventId: number): Promise<string> {
    const page = await browser.get('/organiser');
    const section = page.text
      .split('<section class="card dashboard-event">')
      .find((part) => part.includes(`href="/edit-event/${eventId}"`));
    if (!section) throw new Error(`event ${eventId} is not on the dashboard`);
    return section;
  }

  const chartLabel = (html: string) => /<svg [^>]*aria-label="([^"]*)"/.exec(html)?.[1];

  beforeAll(async () => {
    database = await createTestDatabase();
    testApp = await startAppAwayFromUtc(database);
    admin = testApp.browser();
    await register(admin); // the first account is the admin
    token = await createApiToken(admin);
    alice = testApp.browser();
    await register(alice);
    bob = testApp.browser();
    await register(bob);

    // Two ticket types: 100 full price and 50 concessions.
    concert = await createEvent(testApp, alice, { title: 'Counted Concert' });
    lecture = await createEvent(testApp, alice, { title: 'Quiet Lecture' });
    bobsGig = await createEvent(testApp, bob, { title: 'Bobs Gig' });
    await buyWithForm(concert, [3]);
    await buyWithForm(concert, [1, 2]);
    await buyWithApi(concert, 4);
    await cancelWithApi(await buyWithApi(concert, 5));
    await buyWithForm(bobsGig, [7]);
    lastSaleDay = utcDay.format(new Date());
  });
  afterAll(async () => {
    await testApp.close();
    await database.drop();
  });

  it("labels each event's chart with its tickets sold of its capacity and the last sale's day", async () => {
    const section = await dashboardSection(alice, concert);
    expect(chartLabel(section)).toBe(
      `Tickets sold over time for Counted Concert: 10 of 150, last sale ${lastSaleDay}`,
    );
    expect(section).toContain('role="img"');
    expect(section).toMatch(/<title>Tickets sold over time for Counted Concert: 10 of 150/);
    expect(section).toMatch(/<polyline class="sales-chart-line" points="[\d., ]+"/);
  });

  it('stops counting a booking once it is cancelled', async () => {
    const reference = await buyWithApi(concert, 6);
    expect(chartLabel(await dashboardSection(alice, concert))).toContain(': 16 of 150');
    await cancelWithApi(reference);
    expect(chartLabel(await dashboardSection(alice, concert))).toContain(': 10 of 150');
  });

  it('shows sold / capacity per ticket type, as text and as a bar', async () => {
    const section = await dashboardSection(alice, concert);
    expect(section).toContain('8 / 100');
    expect(section).toContain('2 / 50');
    expect(section).toContain('<meter class="meter" min="0" max="100" value="8"');
    expect(section).toContain('aria-label="Concession: 2 of 50 sold"');
  });

  it('says "No sales yet" for an event nobody has bought tickets for', async () => {
    const section = await dashboardSection(alice, lecture);
    expect(section).toContain('No sales yet');
    expect(section).not.toContain('<svg');
  });

  it("shows an organiser only their own events' numbers, and no platform totals", async () => {
    const page = (await bob.get('/organiser')).text;
    expect(chartLabel(await dashboardSection(bob, bobsGig))).toContain('Bobs Gig: 7 of 150');
    expect(page).not.toContain('Counted Concert');
    expect(page).not.toContain('10 of 150');
    expect(page).not.toContain('All events at a glance');
  });

  it('shows the admin the platform totals of GET /api/v1/stats and a combined chart', async () => {
    const stats = (await api().get('/api/v1/stats').set('Authorization', `Bearer ${token}`)).body;
    const page = (await admin.get('/organiser')).text;
    const figure = (name: string) => new RegExp(`data-stat="${name}">([^<]*)<`).exec(page)?.[1];
    expect(stats).toMatchObject({ events: 3, publishedEvents: 3, ticketsSold: 17 });
    expect(figure('events')).toBe(String(stats.events));
    expect(figure('publishedEvents')).toBe(String(stats.publishedEvents));
    expect(figure('ticketsSold')).toBe(String(stats.ticketsSold));
    expect(figure('revenueCents')).toBe(`€${(stats.revenueCents / 100).toFixed(2)}`);
    expect(chartLabel(page.split('All events at a glance')[1])).toMatch(
      /^Tickets sold over time for all events: 17 of 450, last sale /,
    );
  });

  it('buckets sales by UTC day once they span more than two days', async () => {
    const early = await createEvent(testApp, alice, { title: 'Early Bird' });
    const reference = await buyWithApi(early, 2);
    const now = new Date();
    const fiveDaysAgoLate = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 5, 23, 30),
    );
    const stored =
      testApp.db.options.type === 'postgres'
        ? fiveDaysAgoLate.toISOString()
        : sqliteDateTime(fiveDaysAgoLate);
    await writeSql(testApp, 'UPDATE bookings SET created_at = ? WHERE reference = ?', [
      stored,
      reference,
    ]);
    await buyWithForm(early, [1]);
    const section = await dashboardSection(alice, early);
    expect(section).toContain(`>${utcDay.format(fiveDaysAgoLate)}</text>`);
    expect(section).toContain(`>${utcDay.format(now)}</text>`);
    expect(chartLabel(section)).toBe(
      `Tickets sold over time for Early Bird: 3 of 150, last sale ${utcDay.format(now)}`,
    );
  });

  it('shows an event title escaped inside the chart', async () => {
    const hostile = await createEvent(testApp, alice, { title: SCRIPT });
    await buyWithForm(hostile, [1]);
    const page = (await alice.get('/organiser')).text;
    const section = await dashboardSection(alice, hostile);
    expect(page).not.toContain(SCRIPT);
    expect(chartLabel(section)).toMatch(
      /^Tickets sold over time for &lt;script&gt;alert\(1\)&lt;\/script&gt;: 1 of 150/,
    );
    expect(section).toContain('<title>Tickets sold over time for &lt;script&gt;alert(1)');
  });
});
