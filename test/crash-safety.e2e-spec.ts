import {
  Answer,
  AppProcess,
  buyersOn,
  purchaseOne,
  seedOnSale,
  sleep,
} from './support/app-process';
import { bookingsWithoutItems, soldMatchesBookedItems, startTestApp } from './support/test-app';
import { createTestDatabase, testDatabaseKind, TestDatabase } from './support/test-database';

const ROUNDS = 4;

describe('SIGKILL in the middle of an on-sale, again and again', () => {
  let database: TestDatabase;
  const answers: Answer[] = [];
  const killedAfterMs: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { eventId, ticketTypeIds } = await seedOnSale(database);

    let key = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const app = await AppProcess.start('main', {
        DATABASE_URL: database.url,
        SESSION_SECRET: 'crash-test',
      });
      await app.waitUntilServing();
      const buyers = await buyersOn(app, eventId, 10);
      // Each buyer buys one ticket after another until the process dies under them.
      let alive = true;
      const streams = buyers.map(async (buyer) => {
        while (alive) {
          const answer = await purchaseOne(app, buyer, eventId, ticketTypeIds[0], `crash-${++key}`);
          answers.push(answer);
          if (answer.error) return;
        }
      });
      const killAfter = 100 + Math.floor(Math.random() * 700);
      killedAfterMs.push(killAfter);
      await sleep(killAfter);
      await app.stop('SIGKILL');
      alive = false;
      await Promise.all(streams);
    }
    console.log(
      `SIGKILL after ${killedAfterMs.join(', ')} ms: ` +
        `${answers.filter((answer) => answer.status === 303).length} bookings confirmed, ` +
        `${answers.filter((answer) => answer.error).length} requests cut`,
    );
  }, 120_000);

  afterAll(() => database.drop());

  it('answered every purchase with a booking until the kill, and none with a 5xx', () => {
    expect(answers.filter((answer) => (answer.status ?? 0) >= 500)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 303).length).toBeGreaterThan(ROUNDS);
  });

  it('restarts on the same database with every booking whole and every confirmed one kept', async () => {
    const restarted = await startTestApp({ DATABASE_URL: database.url });
    try {
      expect(await soldMatchesBookedItems(restarted)).toBe(true);
      expect(await bookingsWithoutItems(restarted)).toEqual([]);
      expect(
        await restarted.sql(
          'SELECT id FROM booking_items bi WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = bi.booking_id)',
        ),
      ).toEqual([]);
      const stored = new Set(
        (await restarted.sql<{ reference: string }[]>('SELECT reference FROM bookings')).map(
          (row) => row.reference,
        ),
      );
      const confirmed = answers
        .filter(
          (answer) => answer.status === 303 && answer.location?.startsWith('/purchase/success'),
        )
        .map((answer) => answer.location!.slice(-10));
      expect(confirmed.filter((reference) => !stored.has(reference))).toEqual([]);
      if (testDatabaseKind === 'sqlite') {
        expect(await restarted.sql('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      }
    } finally {
      await restarted.close();
    }
  });
});
