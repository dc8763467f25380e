import { RoamingBrowser } from '../support/roaming-browser';
import { eventually } from '../support/eventually';
import {
  createEvent,
  hiddenField,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  uniqueEmail,
  writeSql,
} from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { QueueService } from '../../src/queue/queue.service';

const RATE = 6000;
const CROWD = 2000;
const BUYERS = 40;

/*
 * The queue's invariants with two app processes on one PostgreSQL database and Redis
 * (PRODUCT.md "Fair on-sale queue"): thousands in line, both processes stepping the one
 * admission clock each second; no entry let in twice, no minute over the rate (plus a step),
 * admission in order of place, no purchase without an admission, no 5xx. The proof of work is
 * off here (QUEUE_POW_MAX_NUMBER=0): test/queue.e2e-spec.ts solves real ones.
 */
describe('a queue rush across two app processes (PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let apps: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_POW_MAX_NUMBER: '0',
      QUEUE_JOINS_PER_IP_PER_HOUR: '0',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
  });

  it('admits in order of place at the rate, each once, and sells only to the admitted', async () => {
    const organiser = apps[0].browser();
    await register(organiser, uniqueEmail('rush'));
    const eventId = await createEvent(apps[0], organiser, { 'ticketTypes[0][capacity]': '5000' });
    const [{ id: typeId }] = await ticketTypesOf(apps[0], eventId);
    const opening = new Date(Date.now() + 3_600_000);
    await writeSql(
      apps[0],
      'UPDATE events SET queue_enabled = true, on_sale_at = ?, admission_per_minute = ? WHERE id = ?',
      [timestampParam(apps[0], opening), RATE, eventId],
    );

    // Buyers join through the pages, half on each process; the crowd straight through the service.
    const buyers: RoamingBrowser[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const buyer = new RoamingBrowser();
      const page = await buyer.get(apps[i % 2], '/login');
      const joined = await buyer.post(apps[(i + 1) % 2], `/event/${eventId}/queue`, {
        _csrf: hiddenField(page.text, '_csrf'),
      });
      expect(joined.status).toBe(303);
      buyers.push(buyer);
    }
    const event = await apps[0].app.get(QueueService).queuedEvent(eventId);
    await Promise.all(
      apps.map(async (app, half) => {
        const queue = app.app.get(QueueService);
        for (let i = half; i < CROWD; i += 2)
          await queue.join(event, undefined, `127.9.${i >> 8}.${i & 255}`, undefined);
      }),
    );

    // The opening comes: both processes' clocks start admitting.
    const opened = Date.now();
    await writeSql(apps[0], 'UPDATE events SET on_sale_at = ? WHERE id = ?', [
      timestampParam(apps[0], new Date(opened)),
      eventId,
    ]);
    await eventually(
      async () => {
        const [{ n }] = await apps[0].sql<{ n: number }[]>(
          "SELECT COUNT(*) AS n FROM queue_entries WHERE event_id = ? AND status <> 'waiting'",
          [eventId],
        );
        return Number(n) >= 1000;
      },
      'a thousand let in',
      30_000,
    );

    // Every buyer tries to buy, on either process: those let in buy, the others go back.
    const statuses: number[] = [];
    let bought = 0;
    await Promise.all(
      buyers.map(async (buyer, i) => {
        const app = apps[i % 2];
        const form = await buyer.get(app, `/buy-tickets/${eventId}`);
        statuses.push(form.status);
        const csrf =
          form.status === 200
            ? hiddenField(form.text, '_csrf')
            : hiddenField((await buyer.get(app, '/login')).text, '_csrf');
        const res = await buyer.post(apps[(i + 1) % 2], `/purchase/${eventId}`, {
          _csrf: csrf,
          idempotencyKey:
            form.status === 200 ? hiddenField(form.text, 'idempotencyKey') : `rush-order-${i}`,
          attendeeName: 'Rush Buyer',
          attendeeEmail: `rush${i}@example.com`,
          [`quantities[${typeId}]`]: 1,
        });
        statuses.push(res.status);
        const sentBack = res.headers.location === `/event/${eventId}/queue`;
        expect(res.status).toBe(303);
        // Let in: it buys. Not yet when its form was asked for: sent back, or (let in between
        // the two requests, as the clock goes on) it buys.
        if (form.status === 200) expect(sentBack).toBe(false);
        if (!sentBack) bought++;
      }),
    );
    const elapsedMs = Date.now() - opened;
    expect(statuses.filter((status) => status >= 500)).toEqual([]);

    const rows = await apps[0].sql<
      { status: string; position: number; admitted_at: Date | string | null }[]
    >(
      'SELECT status, position, admitted_at FROM queue_entries WHERE event_id = ? ORDER BY position',
      [eventId],
    );
    expect(rows).toHaveLength(CROWD + BUYERS);
    expect(new Set(rows.map(({ position }) => position)).size).toBe(CROWD + BUYERS);
    const letIn = rows.filter(({ status }) => status !== 'waiting');
    // In order of place: everyone let in stood before everyone still waiting.
    expect(letIn.every((row, index) => row.position === rows[index].position)).toBe(true);
    // At the rate: no more than it allows since the opening, plus one step (two seconds' worth).
    expect(letIn.length).toBeLessThanOrEqual(Math.ceil((RATE * elapsedMs) / 60_000) + RATE / 30);
    const minutes = new Map<number, number>();
    for (const { admitted_at } of letIn) {
      const minute = Math.floor((new Date(admitted_at!).getTime() - opened) / 60_000);
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    }
    expect(Math.max(...minutes.values())).toBeLessThanOrEqual(RATE + RATE / 30);
    // No purchase without an admission: every booking used one, each once.
    const [{ bookings }] = await apps[0].sql<{ bookings: number }[]>(
      'SELECT COUNT(*) AS bookings FROM bookings WHERE event_id = ?',
      [eventId],
    );
    const purchased = rows.filter(({ status }) => status === 'purchased').length;
    expect(bought).toBeGreaterThan(0);
    expect(Number(bookings)).toBe(bought);
    expect(purchased).toBe(bought);
  }, 120_000);
});
