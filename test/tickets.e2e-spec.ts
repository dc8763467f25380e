import request from 'supertest';
import { TICKET_CODE } from '../src/bookings/ticket-code';
import {
  Browser,
  createApiToken,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

interface TicketJson {
  code: string;
  ticketTypeId: number;
  attendeeName: string | null;
  seat: unknown;
  checkedInAt: string | null;
}

/** PRODUCT.md "Tickets, one by one": a booking holds one ticket per unit bought, each its own. */
describe('tickets, one by one', () => {
  let testApp: TestApp;
  let admin: Browser;
  let token: string;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  async function booking(quantities: number[]) {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: quantities.map(() => ({ capacity: 50 })),
    });
    const res = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Group Leader',
        attendeeEmail: 'group@example.com',
        items: quantities.map((quantity, index) => ({
          ticketTypeId: ticketTypeIds[index],
          quantity,
        })),
      })
      .expect(201);
    return {
      eventId,
      ticketTypeIds,
      body: res.body as { reference: string; tickets: TicketJson[] },
    };
  }

  it('gives a booking one ticket per unit, each with its own unguessable code, in its JSON', async () => {
    const { ticketTypeIds, body } = await booking([2, 1]);
    expect(body.tickets).toEqual([
      {
        code: expect.stringMatching(TICKET_CODE),
        ticketTypeId: ticketTypeIds[0],
        attendeeName: null,
        seat: null,
        checkedInAt: null,
      },
      {
        code: expect.stringMatching(TICKET_CODE),
        ticketTypeId: ticketTypeIds[0],
        attendeeName: null,
        seat: null,
        checkedInAt: null,
      },
      {
        code: expect.stringMatching(TICKET_CODE),
        ticketTypeId: ticketTypeIds[1],
        attendeeName: null,
        seat: null,
        checkedInAt: null,
      },
    ]);
    expect(new Set(body.tickets.map((ticket) => ticket.code)).size).toBe(3);
    const again = await api().get(`/api/v1/bookings/${body.reference}`).set(auth());
    expect(again.body.tickets).toEqual(body.tickets);
  });

  it('never gives two tickets one code, over 100 bookings made at once', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 1000 }],
    });
    await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        api()
          .post(`/api/v1/events/${eventId}/bookings`)
          .set(auth())
          .send({
            attendeeName: `Buyer ${n}`,
            attendeeEmail: 'many@example.com',
            items: [{ ticketTypeId: ticketTypeIds[0], quantity: 3 }],
          })
          .expect(201),
      ),
    );
    const [{ tickets, codes }] = await testApp.sql<{ tickets: number; codes: number }[]>(
      `SELECT COUNT(*) AS tickets, COUNT(DISTINCT tickets.code) AS codes FROM tickets
       JOIN bookings ON bookings.id = tickets.booking_id WHERE bookings.event_id = ?`,
      [eventId],
    );
    expect([Number(tickets), Number(codes)]).toEqual([300, 300]);
  });

  it('checks every ticket of a booking in when its reference is checked in', async () => {
    const { eventId, body } = await booking([2]);
    const desk = `/organiser/events/${eventId}/check-in`;
    const res = await admin.submit(desk, { reference: body.reference }, desk);
    expect(res.status).toBe(200);
    const after = (await api().get(`/api/v1/bookings/${body.reference}`).set(auth())).body as {
      checkedInAt: string;
      tickets: TicketJson[];
    };
    expect(after.tickets.map((ticket) => ticket.checkedInAt)).toEqual([
      after.checkedInAt,
      after.checkedInAt,
    ]);
  });
});
