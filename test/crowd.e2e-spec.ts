import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crowdAtTheForm, purchaseAtOnce } from './support/crowd';
import {
  insertEvent,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';

/*
 * The abuse limits must not break a real on-sale: a crowd comes from many addresses, each
 * buyer from their own, and the per-address purchase limit (on, at its default) never bites.
 */
describe('an on-sale crowd of 1000 buyers from 1000 addresses, with the abuse limits on', () => {
  let testApp: TestApp;
  let answers: { status?: number; location?: string; error?: string }[];
  let eventId: number;

  beforeAll(async () => {
    // The limit per address at its default (20), not lifted as for single-address tests.
    testApp = await startTestApp({ PURCHASES_PER_IP_PER_MINUTE: '20' });
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    ({ eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100 }] }));
    const [type] = await ticketTypesOf(testApp, eventId);

    const buyers = await crowdAtTheForm(url, `/buy-tickets/${eventId}`, 1000, 42);
    answers = await purchaseAtOnce(url, eventId, buyers, (n) => ({
      attendeeName: `Buyer ${n}`,
      attendeeEmail: `buyer${n}@example.com`,
      [`quantities[${type.id}]`]: '1',
    }));
  }, 120_000);
  afterAll(() => testApp.close());

  it('sells exactly the 100 tickets there are, and answers everyone else "sold out"', async () => {
    const booked = answers.filter((answer) => answer.location?.startsWith('/purchase/success'));
    const soldOut = answers.filter((answer) =>
      answer.location?.startsWith('/purchase/fail?reason=sold_out'),
    );
    expect(booked).toHaveLength(100);
    expect(soldOut).toHaveLength(900);
    expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(100);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('refuses nobody for the limit per address, and answers nobody with a 5xx', () => {
    expect(answers.filter((answer) => answer.status !== 303)).toEqual([]);
  });
});
