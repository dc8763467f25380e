import request from 'supertest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crowdAtTheForm, purchaseAtOnce } from './support/crowd';
import {
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * PRODUCT.md "Dates": a ticket type's capacity applies to each date, and each date's tickets are
 * sold by their own conditional UPDATE. 1000 buyers, each from their own address with the abuse
 * limits on, rush three dates of one type of capacity 20 through the buy form.
 */
describe('1000 buyers over 3 dates of one ticket type (capacity 20)', () => {
  let testApp: TestApp;
  let answers: { status?: number; location?: string; error?: string }[];
  let eventId: number;
  let ticketTypeId: number;
  let dateIds: number[];
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp({ PURCHASES_PER_IP_PER_MINUTE: '20' });
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    let ticketTypeIds: number[];
    ({ eventId, ticketTypeIds } = await insertEvent(testApp, { ticketTypes: [{ capacity: 20 }] }));
    [ticketTypeId] = ticketTypeIds;
    for (const days of [31, 32]) {
      await request(testApp.app.getHttpServer())
        .post(`/api/v1/events/${eventId}/dates`)
        .set({ Authorization: `Bearer ${token}` })
        .send({ startsAt: new Date(Date.now() + days * 86_400_000).toISOString() })
        .expect(201);
    }
    dateIds = (await event()).dates.map((date) => date.id);

    const buyers = await crowdAtTheForm(url, `/buy-tickets/${eventId}`, 1000, 43);
    answers = await purchaseAtOnce(url, eventId, buyers, (n) => ({
      attendeeName: `Buyer ${n}`,
      attendeeEmail: `buyer${n}@example.com`,
      dateId: String(dateIds[n % 3]),
      [`quantities[${ticketTypeId}]`]: '1',
    }));
  }, 180_000);
  afterAll(() => testApp.close());

  async function event(): Promise<{
    ticketTypes: { sold: number; remaining: number }[];
    dates: { id: number; ticketTypes: { sold: number; remaining: number }[] }[];
  }> {
    const res = await request(testApp.app.getHttpServer())
      .get(`/api/v1/events/${eventId}`)
      .set({ Authorization: `Bearer ${token}` });
    return res.body as Awaited<ReturnType<typeof event>>;
  }

  it('sells exactly 20 on each date, and answers everyone else "sold out"', async () => {
    const booked = answers.filter((answer) => answer.location?.startsWith('/purchase/success'));
    const soldOut = answers.filter((answer) =>
      answer.location?.startsWith('/purchase/fail?reason=sold_out'),
    );
    expect(booked).toHaveLength(60);
    expect(soldOut).toHaveLength(940);
    const { dates, ticketTypes } = await event();
    expect(dates.map((date) => date.ticketTypes[0])).toEqual([
      expect.objectContaining({ sold: 20, remaining: 0 }),
      expect.objectContaining({ sold: 20, remaining: 0 }),
      expect.objectContaining({ sold: 20, remaining: 0 }),
    ]);
    expect(ticketTypes[0]).toMatchObject({ sold: 60, remaining: 0 });
  });

  it('books each date’s 20 for that date, and keeps sold equal to the booked items', async () => {
    const perDate = await testApp.sql<{ date_id: number; n: number }[]>(
      `SELECT bookings.date_id, SUM(booking_items.quantity) AS n FROM bookings
       JOIN booking_items ON booking_items.booking_id = bookings.id
       WHERE bookings.event_id = ? AND bookings.status = 'confirmed'
       GROUP BY bookings.date_id ORDER BY bookings.date_id`,
      [eventId],
    );
    expect(perDate.map((row) => [Number(row.date_id), Number(row.n)])).toEqual(
      dateIds.map((id) => [id, 20]),
    );
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('answers nobody with a 5xx, and refuses nobody for the limit per address', () => {
    expect(answers.filter((answer) => answer.status !== 303)).toEqual([]);
  });
});
