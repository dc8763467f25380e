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

  describe('checking tickets in one by one', () => {
    const desk = (eventId: number) => `/organiser/events/${eventId}/check-in`;
    const scan = (eventId: number, reference: string) =>
      admin.submit(desk(eventId), { reference }, desk(eventId));
    const bookingJson = async (reference: string) =>
      (await api().get(`/api/v1/bookings/${reference}`).set(auth())).body as {
        status: string;
        checkedInAt: string | null;
        tickets: TicketJson[];
      };

    it('lets in the scanned ticket only; the booking counts as in once its last ticket is', async () => {
      const { eventId, body } = await booking([2]);
      const [first, second] = body.tickets.map((ticket) => ticket.code);
      const res = await scan(eventId, first);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Checked in:');
      expect(res.text).toContain(first);
      expect(res.text).toContain('1 of 2 tickets of this booking are in');
      let after = await bookingJson(body.reference);
      expect(after.tickets[0].checkedInAt).not.toBeNull();
      expect(after.tickets[1].checkedInAt).toBeNull();
      expect(after.checkedInAt).toBeNull();
      expect((await scan(eventId, second.toLowerCase())).status).toBe(200);
      after = await bookingJson(body.reference);
      expect(after.tickets[1].checkedInAt).not.toBeNull();
      expect(after.checkedInAt).toBe(after.tickets[1].checkedInAt);
    });

    it('refuses a ticket scanned twice with 409 and the time it first came in', async () => {
      const { eventId, body } = await booking([2]);
      const [first] = body.tickets.map((ticket) => ticket.code);
      await scan(eventId, first);
      const firstTime = (await bookingJson(body.reference)).tickets[0].checkedInAt!;
      const again = await scan(eventId, first);
      expect(again.status).toBe(409);
      expect(again.text).toContain(`Already checked in at <time datetime="${firstTime}">`);
      expect((await bookingJson(body.reference)).tickets[0].checkedInAt).toBe(firstTime);
    });

    it('lets in, by the reference, every ticket of the booking not yet in, keeping the earlier times', async () => {
      const { eventId, body } = await booking([2, 1]);
      await scan(eventId, body.tickets[1].code);
      const earlier = (await bookingJson(body.reference)).tickets[1].checkedInAt;
      const res = await scan(eventId, body.reference);
      expect(res.status).toBe(200);
      expect(res.text).toContain('2 tickets let in now; 3 of 3 tickets of this booking are in');
      const after = await bookingJson(body.reference);
      expect(after.tickets[1].checkedInAt).toBe(earlier);
      expect(after.tickets.every((ticket) => ticket.checkedInAt)).toBe(true);
      expect(after.checkedInAt).not.toBeNull();
      const again = await scan(eventId, body.reference);
      expect(again.status).toBe(409);
      expect(again.text).toContain('Already checked in at');
    });

    it('refuses another event’s ticket and an unknown code with 404, a cancelled booking’s with 409', async () => {
      const { eventId, body } = await booking([1]);
      const elsewhere = await booking([1]);
      const foreign = await scan(eventId, elsewhere.body.tickets[0].code);
      expect(foreign.status).toBe(404);
      expect(foreign.text).not.toContain(elsewhere.body.reference);
      expect((await scan(eventId, 'ZZZZZZZZZZZZZZZZ')).status).toBe(404);
      await api().post(`/api/v1/bookings/${body.reference}/cancel`).set(auth()).expect(200);
      const cancelled = await scan(eventId, body.tickets[0].code);
      expect(cancelled.status).toBe(409);
      expect(cancelled.text).toContain('was cancelled');
      expect((await bookingJson(body.reference)).tickets[0].checkedInAt).toBeNull();
      expect((await bookingJson(elsewhere.body.reference)).tickets[0].checkedInAt).toBeNull();
    });

    it('counts tickets in at the desk, ticket by ticket', async () => {
      const { eventId, body } = await booking([3]);
      expect((await admin.get(desk(eventId))).text).toContain('0 of 3 tickets checked in');
      const res = await scan(eventId, body.tickets[2].code);
      expect(res.text).toContain('1 of 3 tickets checked in');
      expect(res.text).toContain('0 of 1 confirmed bookings');
    });

    it('lets each ticket in exactly once when two doors scan every ticket and the reference at the same moment', async () => {
      const { eventId, body } = await booking([5]);
      const _csrf = await admin.csrfToken(desk(eventId));
      const scans = [...body.tickets.map((ticket) => ticket.code), body.reference];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          admin.post(desk(eventId), { _csrf, reference: scans[n % scans.length] }),
        ),
      );
      expect(responses.every((res) => res.status === 200 || res.status === 409)).toBe(true);
      const after = await bookingJson(body.reference);
      expect(after.tickets.every((ticket) => ticket.checkedInAt)).toBe(true);
      expect(after.checkedInAt).not.toBeNull();
      // Each ticket let in by one scan: the tickets let in add up to the booking's five.
      const admitted = responses
        .filter((res) => res.status === 200)
        .map((res) => /(\d+) tickets? let in now/.exec(res.text)?.[1] ?? '1');
      expect(admitted.reduce((sum, n) => sum + Number(n), 0)).toBe(5);
      const audited = await testApp.sql(
        "SELECT id FROM audit_log WHERE action = 'booking.checked-in' AND subject LIKE ?",
        [`%booking ${body.reference}`],
      );
      expect(audited).toHaveLength(responses.filter((res) => res.status === 200).length);
    });
  });
});
