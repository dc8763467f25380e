import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BookingService } from '../../src/bookings/booking.service';
import { send } from '../support/app-process';
import { eventually } from '../support/eventually';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';

/*
 * The abuse limits hold across processes: two app instances on one PostgreSQL database and one
 * Redis count one client's purchases together (Redis), and one address's mails together
 * (the outbox, claimed in turn).
 */
describe('abuse limits across two app processes (PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let apps: TestApp[];
  let urls: string[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      PURCHASES_PER_IP_PER_MINUTE: '20',
      MAILS_PER_RECIPIENT_PER_HOUR: '20',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
    urls = [];
    for (const app of apps) {
      await app.app.listen(0, '127.0.0.1');
      const { port } = (app.app.getHttpServer() as Server).address() as AddressInfo;
      urls.push(`http://127.0.0.1:${port}`);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
  });

  it('refuses the 21st purchase of one address within a minute, whichever process gets it', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(apps[0], {
      ticketTypes: [{ capacity: 1000 }],
    });
    // An address of this run's own: Redis outlives test runs, and with it the count.
    const address = `127.77.${randomInt(256)}.${randomInt(2, 255)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const url = urls[i % 2];
      const form = await send(`${url}/buy-tickets/${eventId}`, 'GET', '', '', address);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const body = new URLSearchParams({
        _csrf: csrf,
        attendeeName: 'Hoarder',
        attendeeEmail: 'hoarder@example.com',
        [`quantities[${ticketTypeIds[0]}]`]: '1',
      }).toString();
      const answer = await send(`${url}/purchase/${eventId}`, 'POST', body, form.cookie, address);
      statuses.push(answer.status ?? 0);
    }
    expect(statuses.slice(0, 20).every((status) => status === 303)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('sends one address at most 20 mails an hour, whichever process books and sends them', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(apps[0], {
      ticketTypes: [{ capacity: 1000 }],
    });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        apps[i % 2].app.get(BookingService).book(
          eventId,
          {
            attendeeName: 'Someone',
            attendeeEmail: 'victim@example.org',
            lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
          },
          PAY_AT_THE_DOOR,
        ),
      ),
    );
    const rows = await eventually(async () => {
      const all = await apps[0].sql<{ sent_at: unknown; suppressed_at: unknown }[]>(
        'SELECT sent_at, suppressed_at FROM outbox WHERE event_id = ?',
        [eventId],
      );
      return all.length === 40 && all.every((row) => row.sent_at || row.suppressed_at)
        ? all
        : undefined;
    }, 'every mail sent or suppressed');
    expect(rows.filter((row) => row.sent_at)).toHaveLength(20);
    expect(rows.filter((row) => row.suppressed_at)).toHaveLength(20);
  });
});
