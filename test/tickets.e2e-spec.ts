import Handlebars from 'handlebars';
import request from 'supertest';
import { TICKET_CODE } from '../src/bookings/ticket-code';
import {
  Browser,
  createApiToken,
  createEvent,
  postBuyForm,
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

  describe('a name on each ticket', () => {
    const namedEvent = () =>
      insertEvent(testApp, {
        namePerTicket: true,
        ticketTypes: [
          { name: 'Adult', capacity: 50 },
          { name: 'Child', capacity: 50 },
        ],
      });

    const book = (eventId: number, items: object[]) =>
      api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({ attendeeName: 'Pat Parent', attendeeEmail: 'pat@example.com', items });

    describe('in the API', () => {
      it('creates, shows and changes namePerTicket on an event', async () => {
        const created = await api()
          .post('/api/v1/events')
          .set(auth())
          .send({
            title: 'Named Night',
            startsAt: new Date(Date.now() + 86_400_000 * 10).toISOString(),
            namePerTicket: true,
            ticketTypes: [{ name: 'Seat', priceCents: 0, capacity: 10 }],
          })
          .expect(201);
        expect(created.body.namePerTicket).toBe(true);
        const patched = await api()
          .patch(`/api/v1/events/${created.body.id}`)
          .set(auth())
          .send({ namePerTicket: false })
          .expect(200);
        expect(patched.body.namePerTicket).toBe(false);
        await api()
          .patch(`/api/v1/events/${created.body.id}`)
          .set(auth())
          .send({ namePerTicket: 'yes' })
          .expect(400);
      });

      it('puts each name on its ticket, in order, when the event asks for names', async () => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const res = await book(eventId, [
          { ticketTypeId: ticketTypeIds[0], quantity: 2, attendeeNames: ['Pat Parent', ' Sam '] },
          { ticketTypeId: ticketTypeIds[1], quantity: 1, attendeeNames: ['Kim'] },
        ]).expect(201);
        expect(
          (res.body.tickets as TicketJson[]).map((t) => [t.ticketTypeId, t.attendeeName]),
        ).toEqual([
          [ticketTypeIds[0], 'Pat Parent'],
          [ticketTypeIds[0], 'Sam'],
          [ticketTypeIds[1], 'Kim'],
        ]);
      });

      it.each([
        ['no names', undefined, 'items.0.attendeeNames'],
        ['one name for two tickets', ['Ann'], 'items.0.attendeeNames'],
        ['three names for two tickets', ['Ann', 'Bob', 'Cy'], 'items.0.attendeeNames'],
        ['a blank name', ['Ann', '   '], 'items.0.attendeeNames'],
        ['a name with a line break', ['Ann', 'Bob\nEvil: header'], 'items.0.attendeeNames'],
        ['a name of 101 characters', ['Ann', 'x'.repeat(101)], 'items.0.attendeeNames'],
        ['a number for a name', ['Ann', 42], 'items.0.attendeeNames'],
        ['names as a string', 'Ann, Bob', 'items.0.attendeeNames'],
      ])('refuses %s with 400 naming the field, and books nothing', async (_name, names, field) => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const res = await book(eventId, [
          { ticketTypeId: ticketTypeIds[0], quantity: 2, attendeeNames: names },
        ]).expect(400);
        expect(JSON.stringify(res.body)).toContain(field);
        const [{ n }] = await testApp.sql<{ n: number }[]>(
          'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
          [eventId],
        );
        expect(Number(n)).toBe(0);
      });

      it('takes names on an event that does not ask, and none', async () => {
        const { eventId, ticketTypeIds } = await insertEvent(testApp, {
          ticketTypes: [{ capacity: 50 }],
        });
        const some = await book(eventId, [
          { ticketTypeId: ticketTypeIds[0], quantity: 2, attendeeNames: ['Ann'] },
        ]).expect(201);
        expect((some.body.tickets as TicketJson[]).map((t) => t.attendeeName)).toEqual([
          'Ann',
          null,
        ]);
        await book(eventId, [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }]).expect(201);
      });
    });

    describe('on the buy form', () => {
      /** Posts the buy form with these fields, repeated names and all, as a browser does. */

      it('asks for a name per ticket a buyer may choose, and only when the event says so', async () => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const page = await testApp.browser().get(`/buy-tickets/${eventId}`);
        expect(page.text).toContain('Names on the “Adult” tickets');
        for (let n = 1; n <= 10; n++) {
          expect(page.text).toContain(
            `<label for="ticketName-${ticketTypeIds[0]}-${n}">Name on ticket ${n}</label>`,
          );
        }
        expect(page.text).not.toContain(`ticketName-${ticketTypeIds[0]}-11`);
        const plain = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
        expect((await testApp.browser().get(`/buy-tickets/${plain.eventId}`)).text).not.toContain(
          'Name on ticket',
        );
      });

      it('books with the names typed, blank fields left out', async () => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const [adult, child] = ticketTypeIds;
        const res = await postBuyForm(testApp, eventId, [
          [`quantities[${adult}]`, '2'],
          [`quantities[${child}]`, '1'],
          [`ticketNames[${adult}][]`, 'Pat Parent'],
          [`ticketNames[${adult}][]`, ''],
          [`ticketNames[${adult}][]`, 'Sam Parent'],
          [`ticketNames[${child}][]`, 'Kim Parent'],
          [`ticketNames[${child}][]`, ''],
        ]);
        expect(res.status).toBe(303);
        const names = await testApp.sql<{ attendee_name: string }[]>(
          `SELECT tickets.attendee_name FROM tickets JOIN bookings ON bookings.id = tickets.booking_id
           WHERE bookings.event_id = ? ORDER BY tickets.id`,
          [eventId],
        );
        expect(names.map((row) => row.attendee_name)).toEqual([
          'Pat Parent',
          'Sam Parent',
          'Kim Parent',
        ]);
      });

      it('re-renders the form with the names kept and the message at the type when one is missing', async () => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const [adult] = ticketTypeIds;
        const res = await postBuyForm(testApp, eventId, [
          [`quantities[${adult}]`, '3'],
          [`ticketNames[${adult}][]`, 'Pat <Parent>'],
          [`ticketNames[${adult}][]`, 'Sam'],
        ]);
        expect(res.status).toBe(422);
        expect(res.text).toContain(
          `<p class="field-error" id="ticketNames-${adult}-error">Enter a name for each of the 3 “Adult” tickets (2 given).</p>`,
        );
        expect(res.text).toContain(`value="${Handlebars.escapeExpression('Pat <Parent>')}"`);
        expect(res.text).toContain('value="Sam"');
        expect(res.text).toContain('value="Pat Parent"'); // the buyer's own name, kept too
      });

      it.each([
        ['more names than tickets', ['Ann', 'Bob'], '2 names for 1 “Adult” ticket'],
        ['a name with a line break', ['Ann\r\nBcc: x'], 'Each name must be one line'],
        ['a name of 101 characters', ['x'.repeat(101)], 'Each name must be one line'],
      ])('refuses %s with 422 and books nothing', async (_name, names, message) => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const [adult] = ticketTypeIds;
        const res = await postBuyForm(testApp, eventId, [
          [`quantities[${adult}]`, '1'],
          ...names.map((name): [string, string] => [`ticketNames[${adult}][]`, name]),
        ]);
        expect(res.status).toBe(422);
        expect(res.text).toContain(message);
        const [{ n }] = await testApp.sql<{ n: number }[]>(
          'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
          [eventId],
        );
        expect(Number(n)).toBe(0);
      });

      it('refuses names keyed by something other than a ticket type id with 422', async () => {
        const { eventId, ticketTypeIds } = await namedEvent();
        const res = await postBuyForm(testApp, eventId, [
          [`quantities[${ticketTypeIds[0]}]`, '1'],
          ['ticketNames[abc][]', 'Ann'],
        ]);
        expect(res.status).toBe(422);
      });
    });

    it('is a checkbox on the event form, kept on create and edit', async () => {
      const organiser = testApp.browser();
      await register(organiser);
      const eventId = await createEvent(testApp, organiser, { namePerTicket: 'on' });
      const edit = await organiser.get(`/edit-event/${eventId}`);
      expect(edit.text).toMatch(/<input name="namePerTicket" type="checkbox" checked>/);
      const [row] = await testApp.sql<{ name_per_ticket: boolean | number }[]>(
        'SELECT name_per_ticket FROM events WHERE id = ?',
        [eventId],
      );
      expect(Boolean(row.name_per_ticket)).toBe(true);
    });

    it('shows the names on the booking page and at the door', async () => {
      const { eventId, ticketTypeIds } = await namedEvent();
      const res = await book(eventId, [
        { ticketTypeId: ticketTypeIds[0], quantity: 2, attendeeNames: ['Ann Able', 'Bob <b>'] },
      ]).expect(201);
      const [{ secret }] = await testApp.sql<{ secret: string }[]>(
        'SELECT secret FROM bookings WHERE reference = ?',
        [res.body.reference],
      );
      const page = await testApp.browser().get(`/booking/${res.body.reference}?secret=${secret}`);
      expect(page.text).toContain('<strong>Adult</strong> · Ann Able');
      expect(page.text).toContain('<strong>Adult</strong> · Bob &lt;b&gt;');
      const desk = `/organiser/events/${eventId}/check-in`;
      const scanned = await admin.submit(desk, { reference: res.body.tickets[1].code }, desk);
      expect(scanned.status).toBe(200);
      expect(scanned.text).toContain('for Bob &lt;b&gt;');
    });
  });
});
