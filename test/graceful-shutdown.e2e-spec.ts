import {
  Answer,
  AppProcess,
  buyersOn,
  oneTicketForm,
  purchaseOne,
  seedOnSale,
  sendAndHangUp,
} from './support/app-process';
import { bookingsWithoutItems, soldMatchesBookedItems, startTestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('SIGTERM in the middle of an on-sale', () => {
  let database: TestDatabase;
  let answers: Answer[];
  let exitCode: number | null;
  let logs: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { eventId, ticketTypeIds } = await seedOnSale(database);

    const app = await AppProcess.start('main', {
      DATABASE_URL: database.url,
      SESSION_SECRET: 'shutdown-test',
    });
    await app.waitUntilServing();
    const buyers = await buyersOn(app, eventId, 20);
    const purchase = (i: number) =>
      purchaseOne(
        app,
        buyers[i % buyers.length],
        eventId,
        ticketTypeIds[0],
        `shutdown-${process.pid}-${i}`,
      );

    // 300 purchases in waves; the signal arrives while the first ones are being answered, right
    // after 40 buyers who give up waiting: their purchases go on in the app, the last in its write
    // queue, after their connections (which the HTTP server counts) are gone.
    const hangUp = (i: number) => {
      const buyer = buyers[i % buyers.length];
      const form = oneTicketForm(
        buyer,
        ticketTypeIds[0],
        `abandoned-${process.pid}-${i}`,
        'Hung Up Buyer',
      );
      sendAndHangUp(`${app.url}/purchase/${eventId}`, 'POST', form, buyer.cookie);
    };
    const pending: Promise<Answer>[] = [];
    for (let i = 0; i < 300; i++) {
      pending.push(purchase(i));
      if (i === 100) {
        for (let j = 0; j < 40; j++) hangUp(j);
        app.stop('SIGTERM').catch(() => undefined);
      }
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    answers = await Promise.all(pending);
    exitCode = await app.exitCode();
    logs = app.output;
    const answered = answers.filter((answer) => answer.status).length;
    console.log(`SIGTERM during 300 purchases: ${answered} answered, ${300 - answered} refused`);
  }, 60_000);

  afterAll(() => database.drop());

  it('answers every request it had begun with its booking; the rest are refused unread (safe to retry), never a 5xx', () => {
    // A refused or reset connection got no byte of an answer; the booking count below shows
    // that none of those requests did anything.
    const unexpected = answers.filter(
      (answer) =>
        !(answer.status === 303 && answer.location?.startsWith('/purchase/success')) &&
        !(answer.error === 'ECONNREFUSED' || answer.error === 'ECONNRESET'),
    );
    expect(unexpected).toEqual([]);
    expect(answers.some((answer) => answer.status === 303)).toBe(true);
  });

  it('exits on its own, having said what it was doing', () => {
    expect(exitCode === 0 || exitCode === null).toBe(true);
    expect(logs).toContain('SIGTERM: finishing in-flight requests, then exiting');
  });

  it('never closes the database under a request, even one whose client has gone', () => {
    expect(logs).not.toMatch(
      /SQLITE_MISUSE|ConnectionIsNotSetError|not established|after calling end|already released/,
    );
    expect(logs).not.toMatch(/ERROR/);
  });

  it('stored exactly the bookings it confirmed, each whole', async () => {
    const inspector = await startTestApp({ DATABASE_URL: database.url });
    try {
      const [{ count }] = await inspector.sql<{ count: string }[]>(
        "SELECT COUNT(*) AS count FROM bookings WHERE status = 'confirmed' AND attendee_name = 'Process Buyer'",
      );
      expect(Number(count)).toBe(answers.filter((answer) => answer.status === 303).length);
      expect(await bookingsWithoutItems(inspector)).toEqual([]);
      expect(await soldMatchesBookedItems(inspector)).toBe(true);
    } finally {
      await inspector.close();
    }
  });
});
