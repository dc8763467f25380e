import { sleep } from '../support/app-process';
import { eventually } from '../support/eventually';
import request from 'supertest';
import { RoamingBrowser } from '../support/roaming-browser';
import { TcpProxy } from '../support/tcp-proxy';
import {
  bookingsWithoutItems,
  hiddenField,
  insertEvent,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
} from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';

const SUCCESS = /^\/purchase\/success\?ref=[0-9A-Z]{10}$/;

async function waitForHealthy(testApp: TestApp, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(testApp.app.getHttpServer()).get('/healthz');
    if (res.status === 200) return res;
    if (Date.now() > deadline) throw new Error(`still unhealthy: ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
}

describe('PostgreSQL going away in the middle of an on-sale', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let testApp: TestApp;
  let eventId: number;
  const statuses: number[] = [];
  const locations: string[] = [];
  let duringOutage: { health: request.Response; page: request.Response; api: request.Response };
  let afterRecovery: request.Response;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    proxy = await TcpProxy.start(new URL(database.url), 5432);
    testApp = await startTestApp({ DATABASE_URL: proxy.relay(new URL(database.url)) });
    await testApp.app.listen(0);
    ({ eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100_000 }] }));
    const ticketTypeId = (await testApp.sql<{ id: number }[]>('SELECT id FROM ticket_types'))[0].id;
    const buyers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const browser = new RoamingBrowser();
        const form = await browser.get(testApp, `/buy-tickets/${eventId}`);
        return { browser, csrf: hiddenField(form.text, '_csrf') };
      }),
    );

    // 20 buyers purchasing one after another until told to stop.
    let buying = true;
    let counter = 0;
    const load = buyers.map(async (buyer) => {
      while (buying) {
        const res = await buyer.browser.post(testApp, `/purchase/${eventId}`, {
          _csrf: buyer.csrf,
          idempotencyKey: `outage-${process.pid}-${++counter}`,
          attendeeName: 'Rush Buyer',
          attendeeEmail: 'rush@example.com',
          [`quantities[${ticketTypeId}]`]: 1,
        });
        statuses.push(res.status);
        locations.push(String(res.headers.location ?? ''));
      }
    });

    const answered = (status: number) => statuses.filter((got) => got === status).length;
    await eventually(() => answered(303) >= 20, 'purchases before the outage');
    await proxy.cut();
    await eventually(() => answered(503) >= 10, 'purchases refused during the outage', 15_000);
    const server = testApp.app.getHttpServer();
    duringOutage = {
      health: await request(server).get('/healthz'),
      page: await request(server).get('/attendee'),
      api: await request(server).get('/api/v1/events').set('Authorization', 'Bearer bx_nothing'),
    };
    await proxy.restore();
    await waitForHealthy(testApp);
    const bookedBefore = answered(303);
    await eventually(() => answered(303) >= bookedBefore + 20, 'purchases after the outage');
    buying = false;
    await Promise.all(load);
    afterRecovery = await request(server).get(`/event/${eventId}`);
  }, 60_000);

  afterAll(async () => {
    await testApp.close();
    await proxy.close();
    await database.drop();
  });

  it('answers every purchase with a booking, or a clean 503 while the database is away: never a 500', () => {
    const unexpected = statuses.filter(
      (status, i) => !(status === 503 || (status === 303 && SUCCESS.test(locations[i]))),
    );
    expect(unexpected).toEqual([]);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 303).length).toBeGreaterThan(0);
  });

  it('reports the database down on /healthz with a 503', () => {
    expect(duringOutage.health.status).toBe(503);
    expect(duringOutage.health.body).toEqual({ status: 'unavailable', db: 'down' });
  });

  it('shows a 503 page that says to retry, with Retry-After and no internals', () => {
    expect(duringOutage.page.status).toBe(503);
    expect(duringOutage.page.headers['retry-after']).toBe('5');
    expect(duringOutage.page.text).toContain('Please try again in 5 seconds');
    expect(duringOutage.page.text).not.toMatch(/ECONNREFUSED|Connection terminated|at \w+ \(/);
  });

  it('answers the API with a 503 problem+json', () => {
    expect(duringOutage.api.status).toBe(503);
    expect(duringOutage.api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(duringOutage.api.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  });

  it('recovers on its own: /healthz says ok and pages load again', () => {
    expect(afterRecovery.status).toBe(200);
  });

  it('leaves no half-written booking: every booking has its items, and sold equals them', async () => {
    const orphans = await bookingsWithoutItems(testApp);
    expect(orphans).toEqual([]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('has stored every booking it answered with success', async () => {
    const stored = new Set(
      (await testApp.sql<{ reference: string }[]>('SELECT reference FROM bookings')).map(
        (row) => row.reference,
      ),
    );
    const answered = locations.filter((location) => SUCCESS.test(location));
    expect(answered.filter((location) => !stored.has(location.slice(-10)))).toEqual([]);
  });
});

describe('Redis going away while people are logged in', () => {
  let proxy: TcpProxy;
  let testApp: TestApp;
  const browser = new RoamingBrowser();

  beforeAll(async () => {
    proxy = await TcpProxy.start(new URL(TEST_REDIS_URL), 6379);
    testApp = await startTestApp({ REDIS_URL: proxy.relay(new URL(TEST_REDIS_URL)) });
    const form = await browser.get(testApp, '/register');
    const res = await browser.post(testApp, '/register', {
      email: `redis-outage-${process.pid}@example.com`,
      password: 'correct horse battery',
      displayName: 'Rita Redis',
      _csrf: hiddenField(form.text, '_csrf'),
    });
    expect(res.status).toBe(303);
  });
  afterAll(async () => {
    await testApp.close();
    await proxy.close();
  });

  it('answers 503 to a logged-in page and on /healthz while Redis is away, and picks up again after', async () => {
    expect((await browser.get(testApp, '/organiser')).status).toBe(200);
    await proxy.cut();

    const page = await browser.get(testApp, '/organiser');
    expect(page.status).toBe(503);
    expect(page.text).toContain('Please try again in 5 seconds');
    const health = await request(testApp.app.getHttpServer()).get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', db: 'up', redis: 'down' });
    // Pages that need no session still work.
    expect((await request(testApp.app.getHttpServer()).get('/attendee')).status).toBe(200);

    await proxy.restore();
    expect((await waitForHealthy(testApp)).body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
    const again = await browser.get(testApp, '/organiser');
    expect(again.status).toBe(200);
    expect(again.text).toContain('Rita Redis');
  });
});
