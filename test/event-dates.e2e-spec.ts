import { DateTime } from 'luxon';
import request from 'supertest';
import { eventually } from './support/eventually';
import {
  Browser,
  createApiToken,
  createEvent,
  hiddenField,
  insertEvent,
  register,
  sqliteDateTime,
  startTestApp,
  TestApp,
} from './support/test-app';

/** PRODUCT.md "Dates": an event's dates in its JSON, and the date of each booking. */
describe('event dates', () => {
  let testApp: TestApp;
  let token: string;
  let organiser: Browser;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  /** Books `quantity` tickets of a type for a date through the API; answers the booking's JSON. */
  const bookOn = async (
    eventId: number,
    ticketTypeId: number,
    dateId: number,
    attendeeName: string,
    quantity = 1,
  ) =>
    (
      await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName,
          attendeeEmail: 'dates@example.com',
          dateId,
          items: [{ ticketTypeId, quantity }],
        })
        .expect(201)
    ).body as { reference: string };
  /** Adds a date `days` from now to the event (through the API); answers its id. */
  const addDate = async (eventId: number, days: number) =>
    (
      await api()
        .post(`/api/v1/events/${eventId}/dates`)
        .set(auth())
        .send({ startsAt: new Date(Date.now() + days * 86_400_000).toISOString() })
        .expect(201)
    ).body.data[0].id as number;

  let admin: Browser;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    organiser = testApp.browser();
    await register(organiser);
  });
  afterAll(() => testApp.close());

  it('gives a new event one date, its start and end, with its tickets', async () => {
    const startsAt = '2031-09-12T18:00:00.000Z';
    const endsAt = '2031-09-12T21:00:00.000Z';
    const created = await api()
      .post('/api/v1/events')
      .set(auth())
      .send({
        title: 'One night',
        startsAt,
        endsAt,
        ticketTypes: [{ name: 'Standard', priceCents: 1000, capacity: 40 }],
      });
    expect(created.status).toBe(201);
    expect(created.body.dates).toEqual([
      {
        id: expect.any(Number),
        startsAt,
        endsAt,
        status: 'scheduled',
        ticketTypes: [{ id: created.body.ticketTypes[0].id, capacity: 40, sold: 0, remaining: 40 }],
      },
    ]);
  });

  it('moves the date with the event’s start and end', async () => {
    const id = await createEvent(testApp, organiser);
    const moved = await api()
      .patch(`/api/v1/events/${id}`)
      .set(auth())
      .send({ startsAt: '2032-01-02T19:00:00.000Z', endsAt: '2032-01-02T22:00:00.000Z' });
    expect(moved.body.dates).toHaveLength(1);
    expect(moved.body.dates[0]).toMatchObject({
      startsAt: '2032-01-02T19:00:00.000Z',
      endsAt: '2032-01-02T22:00:00.000Z',
    });
  });

  it('books the event’s date, and says which in the booking JSON', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
    const [date] = event.body.dates as { id: number; startsAt: string }[];
    const order = {
      attendeeName: 'Ada',
      attendeeEmail: 'ada@example.com',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
    };
    const implicit = await api().post(`/api/v1/events/${eventId}/bookings`).set(auth()).send(order);
    expect(implicit.status).toBe(201);
    expect(implicit.body).toMatchObject({ dateId: date.id, dateStartsAt: date.startsAt });
    const explicit = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({ ...order, dateId: date.id });
    expect(explicit.status).toBe(201);
    expect(explicit.body.dateId).toBe(date.id);
    const after = await api().get(`/api/v1/events/${eventId}`).set(auth());
    expect(after.body.dates[0].ticketTypes[0]).toMatchObject({ sold: 4, remaining: 1 });
  });

  it('refuses a date of another event, or none at all, naming dateId and booking nothing', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    const other = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
    const otherDate = (await api().get(`/api/v1/events/${other.eventId}`).set(auth())).body.dates[0]
      .id as number;
    for (const dateId of [otherDate, 999999, 0, 'first']) {
      const res = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          dateId,
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        });
      expect(res.status).toBe(400);
      const errors = res.body.errors as { field: string }[];
      expect(errors.map((error) => error.field)).toContain('dateId');
    }
    const browser = testApp.browser();
    const page = await browser.get(`/buy-tickets/${eventId}`);
    const form = await browser.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(page.text, '_csrf'),
      idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
      attendeeName: 'Ada',
      attendeeEmail: 'ada@example.com',
      dateId: String(otherDate),
      [`quantities[${ticketTypeIds[0]}]`]: '1',
    });
    expect(form.status).toBe(422);
    expect(/id="dateId-error">([^<]*)</.exec(form.text)?.[1] ?? form.text).toMatch(/dates/);
    const [{ n }] = await testApp.sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
      [eventId],
    );
    expect(Number(n)).toBe(0);
  });

  describe('adding and removing dates (API)', () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const addDates = (eventId: number, body: object) =>
      api().post(`/api/v1/events/${eventId}/dates`).set(auth()).send(body);
    const order = (ticketTypeId: number, dateId?: number) => ({
      attendeeName: 'Ada',
      attendeeEmail: 'ada@example.com',
      items: [{ ticketTypeId, quantity: 1 }],
      ...(dateId === undefined ? {} : { dateId }),
    });

    it('adds one date with every ticket type’s full capacity; a booking must then name its date', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 3, sold: 0 }],
      });
      await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(order(ticketTypeIds[0]));
      const startsAt = inDays(40).toISOString();
      const res = await addDates(eventId, { startsAt });
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual([
        {
          id: expect.any(Number),
          startsAt,
          endsAt: null,
          status: 'scheduled',
          ticketTypes: [{ id: ticketTypeIds[0], capacity: 3, sold: 0, remaining: 3 }],
        },
      ]);
      const added = res.body.data[0].id as number;
      const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
      expect((event.body.dates as { id: number }[]).map((date) => date.id)).toContain(added);
      expect(event.body.ticketTypes[0]).toMatchObject({ sold: 1, remaining: 5 });

      const unnamed = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(order(ticketTypeIds[0]));
      expect(unnamed.status).toBe(400);
      expect(unnamed.body.errors).toEqual([{ field: 'dateId', message: 'Choose a date.' }]);
      const named = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(order(ticketTypeIds[0], added));
      expect(named.status).toBe(201);
      expect(named.body).toMatchObject({ dateId: added, dateStartsAt: startsAt });
    });

    it('adds a weekly series from a rule: Fridays and Saturdays at 19:30 local time', async () => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 20 }] });
      const from = inDays(60);
      const res = await addDates(eventId, {
        rule: {
          freq: 'weekly',
          byWeekday: ['FR', 'SA'],
          time: '19:30',
          from: day(from),
          count: 6,
          durationMinutes: 150,
        },
      });
      expect(res.status).toBe(201);
      const dates = res.body.data as { startsAt: string; endsAt: string }[];
      expect(dates).toHaveLength(6);
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      for (const date of dates) {
        const local = DateTime.fromISO(date.startsAt, { zone });
        expect(local.toFormat('ccc HH:mm')).toMatch(/^(Fri|Sat) 19:30$/);
        expect(new Date(date.endsAt).getTime() - new Date(date.startsAt).getTime()).toBe(
          150 * 60_000,
        );
      }
      const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
      expect(event.body.dates).toHaveLength(7);
    });

    it.each([
      [{}, 'startsAt'],
      [{ startsAt: inDays(-1).toISOString() }, 'startsAt'],
      [{ startsAt: inDays(9).toISOString(), endsAt: inDays(8).toISOString() }, 'endsAt'],
      [{ startsAt: 'tomorrow' }, 'startsAt'],
      [
        {
          startsAt: inDays(9).toISOString(),
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(9)),
            count: 2,
          },
        },
        'rule',
      ],
      [
        {
          rule: { freq: 'daily', byWeekday: ['MO'], time: '19:30', from: day(inDays(9)), count: 2 },
        },
        'rule.freq',
      ],
      [
        { rule: { freq: 'weekly', byWeekday: [], time: '19:30', from: day(inDays(9)), count: 2 } },
        'rule.byWeekday',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['XX'],
            time: '19:30',
            from: day(inDays(9)),
            count: 2,
          },
        },
        'rule.byWeekday',
      ],
      [
        {
          rule: { freq: 'weekly', byWeekday: 'MO', time: '19:30', from: day(inDays(9)), count: 2 },
        },
        'rule.byWeekday',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '25:00',
            from: day(inDays(9)),
            count: 2,
          },
        },
        'rule.time',
      ],
      [
        {
          rule: { freq: 'weekly', byWeekday: ['MO'], time: '19:30', from: '2031-02-30', count: 2 },
        },
        'rule.from',
      ],
      [
        { rule: { freq: 'weekly', byWeekday: ['MO'], time: '19:30', from: 'soon', count: 2 } },
        'rule.from',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(-30)),
            count: 2,
          },
        },
        'rule.from',
      ],
      [
        { rule: { freq: 'weekly', byWeekday: ['MO'], time: '19:30', from: day(inDays(9)) } },
        'rule.until',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(9)),
            until: day(inDays(2)),
          },
        },
        'rule.until',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO', 'TU', 'WE'],
            time: '19:30',
            from: day(inDays(9)),
            until: day(inDays(9 + 10 * 365)),
          },
        },
        'rule.until',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(9)),
            count: 501,
          },
        },
        'rule.count',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(9)),
            count: 0,
          },
        },
        'rule.count',
      ],
      [
        {
          rule: {
            freq: 'weekly',
            byWeekday: ['MO'],
            time: '19:30',
            from: day(inDays(9)),
            count: 2,
            durationMinutes: -5,
          },
        },
        'rule.durationMinutes',
      ],
      [{ rule: 'every friday' }, 'rule'],
    ])('refuses %j with a 400 naming %s, adding nothing', async (body, field) => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 20 }] });
      const res = await addDates(eventId, body);
      expect(res.status).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((error) => error.field);
      expect(fields.some((name) => name === field || name.startsWith(`${field}.`))).toBe(true);
      const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
      expect(event.body.dates).toHaveLength(1);
    });

    it('removes a date nobody booked; refuses (409) one with bookings, and the event’s last', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 5 }],
      });
      const [{ id: first }] = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.dates;
      const added = await addDates(eventId, {
        rule: { freq: 'weekly', byWeekday: ['TU'], time: '20:00', from: day(inDays(50)), count: 2 },
      });
      const [booked, unbooked] = (added.body.data as { id: number }[]).map((date) => date.id);
      expect(
        (
          await api()
            .post(`/api/v1/events/${eventId}/bookings`)
            .set(auth())
            .send(order(ticketTypeIds[0], booked))
        ).status,
      ).toBe(201);

      const refused = await api().delete(`/api/v1/events/${eventId}/dates/${booked}`).set(auth());
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/Cancel it instead/);
      expect(
        (await api().delete(`/api/v1/events/${eventId}/dates/${unbooked}`).set(auth())).status,
      ).toBe(204);
      expect(
        (await api().delete(`/api/v1/events/${eventId}/dates/${first}`).set(auth())).status,
      ).toBe(204);
      const left = await api().get(`/api/v1/events/${eventId}`).set(auth());
      expect((left.body.dates as { id: number }[]).map((date) => date.id)).toEqual([booked]);
      expect(left.body.startsAt).toBe(left.body.dates[0].startsAt);
      const last = await api().delete(`/api/v1/events/${eventId}/dates/${booked}`).set(auth());
      expect(last.status).toBe(409);
      const other = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
      expect(
        (await api().delete(`/api/v1/events/${other.eventId}/dates/${booked}`).set(auth())).status,
      ).toBe(404);
    });

    it('refuses a code meant for another date (400 at voucherCode), and holds a reserving code’s tickets on its date only', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 4 }],
      });
      const [{ id: first }] = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.dates;
      const second = (await addDates(eventId, { startsAt: inDays(45).toISOString() })).body.data[0]
        .id as number;
      const unnamed = await api().post(`/api/v1/events/${eventId}/vouchers`).set(auth()).send({
        code: 'HOLD-NO-DATE',
        maxUsages: 3,
        ticketTypeId: ticketTypeIds[0],
        reservesCapacity: true,
      });
      expect(unnamed.status).toBe(400);
      expect((unnamed.body.errors as { field: string }[]).map((error) => error.field)).toEqual([
        'dateId',
      ]);
      const voucher = await api().post(`/api/v1/events/${eventId}/vouchers`).set(auth()).send({
        code: 'HOLD-FIRST',
        maxUsages: 3,
        ticketTypeId: ticketTypeIds[0],
        reservesCapacity: true,
        dateId: first,
      });
      expect(voucher.status).toBe(201);
      expect(voucher.body.data[0].dateId).toBe(first);
      const event = await api().get(`/api/v1/events/${eventId}`).set(auth());
      const remaining = (
        event.body.dates as { id: number; ticketTypes: { remaining: number }[] }[]
      ).map((date) => [date.id, date.ticketTypes[0].remaining]);
      expect(remaining).toEqual([
        [first, 1],
        [second, 4],
      ]);
      const elsewhere = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({ ...order(ticketTypeIds[0], second), voucherCode: 'HOLD-FIRST' });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.errors).toEqual([
        { field: 'voucherCode', message: 'This code is for another date of this event.' },
      ]);
      const used = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({ ...order(ticketTypeIds[0], first), voucherCode: 'HOLD-FIRST' });
      expect(used.status).toBe(201);
    });
  });

  describe('choosing a date (pages, no JavaScript needed)', () => {
    /** A published event of capacity 3 on three dates, the second sold out; answers the ids. */
    async function series(startsAt?: Date) {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        title: 'Weekly Quiz',
        startsAt,
        ticketTypes: [{ name: 'Seat', capacity: 3 }],
      });
      for (const days of [37, 44]) await addDate(eventId, days);
      const dates = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.dates as {
        id: number;
      }[];
      const ids = dates.map((date) => date.id);
      await bookOn(eventId, ticketTypeIds[0], ids[1], 'Full House', 3);
      return { eventId, ticketTypeId: ticketTypeIds[0], ids };
    }

    const dateItems = (html: string) =>
      [...html.matchAll(/<li class="(date-chosen)?">([\s\S]*?)<\/li>/g)].map((match) =>
        match[2]
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );

    it('lists every date with its tickets left on the event page, and shows the chosen date’s tickets', async () => {
      const { eventId, ids } = await series();
      const page = await api().get(`/event/${eventId}`);
      expect(page.status).toBe(200);
      const items = dateItems(page.text);
      expect(items).toHaveLength(3);
      expect(items[0]).toMatch(/3 left$/);
      expect(items[1]).toMatch(/Sold out$/);
      expect(items[2]).toMatch(/3 left$/);
      expect(page.text).toContain(`href="/event/${eventId}?date=${ids[1]}"`);
      expect(page.text).toContain(`href="/buy-tickets/${eventId}?date=${ids[0]}"`);

      const soldOut = await api().get(`/event/${eventId}?date=${ids[1]}`);
      expect(soldOut.text).toMatch(/<a href="\/event\/\d+\?date=\d+" aria-current="true">/);
      expect(soldOut.text).toContain('This date is sold out: choose another one above.');
      expect(soldOut.text).toContain(`waiting-list?ticketType=`);
      expect(soldOut.text).toContain(`&amp;date=${ids[1]}`);
      const third = await api().get(`/event/${eventId}?date=${ids[2]}`);
      expect(third.text).toContain(`href="/buy-tickets/${eventId}?date=${ids[2]}"`);
    });

    it('books the date chosen on the buy form', async () => {
      const { eventId, ticketTypeId, ids } = await series();
      const browser = testApp.browser();
      const form = await browser.get(`/buy-tickets/${eventId}?date=${ids[2]}`);
      expect(hiddenField(form.text, 'dateId')).toBe(String(ids[2]));
      const res = await browser.post(`/purchase/${eventId}`, {
        _csrf: hiddenField(form.text, '_csrf'),
        idempotencyKey: hiddenField(form.text, 'idempotencyKey'),
        dateId: hiddenField(form.text, 'dateId'),
        attendeeName: 'Quiz Quentin',
        attendeeEmail: 'quentin@example.com',
        [`quantities[${ticketTypeId}]`]: '2',
      });
      expect(res.status).toBe(303);
      const [booking] = await testApp.sql<{ date_id: number }[]>(
        "SELECT date_id FROM bookings WHERE attendee_email = 'quentin@example.com'",
      );
      expect(Number(booking.date_id)).toBe(ids[2]);
      const sold = await api().get(`/buy-tickets/${eventId}?date=${ids[1]}`);
      expect(sold.text).toContain('This date is sold out: choose another one above.');
    });

    it('shows past and cancelled dates as such, not as links', async () => {
      const { eventId, ids } = await series();
      await api().post(`/api/v1/events/${eventId}/dates/${ids[2]}/cancel`).set(auth()).expect(200);
      const yesterday = new Date(Date.now() - 86_400_000);
      await testApp.sql('UPDATE event_dates SET starts_at = ? WHERE id = ?', [
        testApp.db.options.type === 'postgres' ? yesterday : sqliteDateTime(yesterday),
        ids[0],
      ]);
      const page = await api().get(`/event/${eventId}`);
      const items = dateItems(page.text);
      expect(items[0]).toMatch(/Past$/);
      expect(items[2]).toMatch(/Cancelled$/);
      expect(page.text).not.toContain(`?date=${ids[0]}"`);
      expect(page.text).not.toContain(`?date=${ids[2]}"`);
      const cancelled = await api().get(`/event/${eventId}?date=${ids[2]}`);
      expect(cancelled.text).toContain('This date has been cancelled.');
    });

    it('lists a series at its next date, with how many more dates it has', async () => {
      // The soonest event of all, so that it is on the list's first page.
      await series(new Date(Date.now() + 3_600_000));
      const list = await api().get('/attendee');
      const card = /<article class="card event-card">[\s\S]*?Weekly Quiz[\s\S]*?<\/article>/.exec(
        list.text,
      );
      expect(card?.[0]).toContain('+ 2 more dates');
    });
  });

  describe('checking in on a date', () => {
    it('lets a ticket in on its own date only, refusing it at another date’s door with 409 naming its date', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 9 }],
      });
      const [{ id: friday }] = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body
        .dates as { id: number }[];
      const saturday = await addDate(eventId, 31);
      const fridayTicket = (await bookOn(eventId, ticketTypeIds[0], friday, 'Door Dan')).reference;
      const saturdayTicket = (await bookOn(eventId, ticketTypeIds[0], saturday, 'Door Dan'))
        .reference;
      const desk = `/organiser/events/${eventId}/check-in`;

      const door = await admin.get(`${desk}?date=${saturday}`);
      expect(door.status).toBe(200);
      expect(hiddenField(door.text, 'dateId')).toBe(String(saturday));
      const refused = await admin.submit(
        desk,
        { reference: fridayTicket, dateId: saturday },
        `${desk}?date=${saturday}`,
      );
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('This ticket is for');
      expect(refused.text).toContain('not for this date');
      const [row] = await testApp.sql<{ checked_in_at: unknown }[]>(
        'SELECT checked_in_at FROM bookings WHERE reference = ?',
        [fridayTicket],
      );
      expect(row.checked_in_at).toBeNull();
      const admitted = await admin.submit(
        desk,
        { reference: saturdayTicket, dateId: saturday },
        `${desk}?date=${saturday}`,
      );
      expect(admitted.status).toBe(200);
      expect(admitted.text).toContain('1 of 1 tickets checked in');
      const fridayDoor = await admin.submit(
        desk,
        { reference: fridayTicket, dateId: friday },
        `${desk}?date=${friday}`,
      );
      expect(fridayDoor.status).toBe(200);
    });
  });

  describe('the organiser’s dates page', () => {
    const fieldError = (html: string, id: string) =>
      new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html)?.[1];
    const day = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

    it('adds a weekly series and one date, removes an unbooked one, and cancels a booked one', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        title: 'Quiz Night',
        ticketTypes: [{ capacity: 30 }],
      });
      const page = `/organiser/events/${eventId}/dates`;
      const shown = await admin.get(page);
      expect(shown.status).toBe(200);
      expect(shown.text).toContain('Add a weekly series');

      const series = await admin.submit(
        `${page}/series`,
        { byWeekday: 'FR', time: '19:30', from: day(40), count: '3', durationMinutes: '120' },
        page,
      );
      expect(series.status).toBe(303);
      expect((await admin.get(page)).text).toContain('3 dates added.');
      const one = await admin.submit(
        page,
        { startsAt: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 16), endsAt: '' },
        page,
      );
      expect(one.status).toBe(303);
      const dates = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.dates as {
        id: number;
      }[];
      expect(dates).toHaveLength(5);

      await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Quiz Quinn',
          attendeeEmail: 'quinn@example.com',
          dateId: dates[1].id,
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
        })
        .expect(201);
      const listed = await admin.get(page);
      expect(listed.text).toContain(`${page}/${dates[2].id}/delete`);
      expect(listed.text).not.toContain(`${page}/${dates[1].id}/delete`);
      const removed = await admin.submit(`${page}/${dates[2].id}/delete`, {}, page);
      expect(removed.status).toBe(303);
      const cancelled = await admin.submit(`${page}/${dates[1].id}/cancel`, {}, page);
      expect(cancelled.status).toBe(303);
      const final = await admin.get(page);
      expect(final.text).toContain('Date cancelled. 1 booking cancelled');
      expect(final.text).toContain('badge-cancelled');
      const left = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body.dates as {
        id: number;
        status: string;
      }[];
      expect(left.map((date) => date.status)).toEqual([
        'scheduled',
        'cancelled',
        'scheduled',
        'scheduled',
      ]);
    });

    it.each([
      [{ time: '19:30', from: day(40), count: '3' }, 'byWeekday', /at least one weekday/],
      [{ byWeekday: 'XX', time: '19:30', from: day(40), count: '3' }, 'byWeekday', /weekdays/],
      [{ byWeekday: 'FR', time: '25:00', from: day(40), count: '3' }, 'time', /HH:mm/],
      [{ byWeekday: 'FR', time: '19:30', from: '', count: '3' }, 'from', /first day/],
      [{ byWeekday: 'FR', time: '19:30', from: '2031-02-30', count: '3' }, 'from', /real day/],
      [{ byWeekday: 'FR', time: '19:30', from: day(-10), count: '3' }, 'from', /future/],
      [{ byWeekday: 'FR', time: '19:30', from: day(40) }, 'until', /until which day/],
      [{ byWeekday: 'FR', time: '19:30', from: day(40), until: day(30) }, 'until', /on or after/],
      [{ byWeekday: 'FR', time: '19:30', from: day(40), count: '501' }, 'count', /500/],
      [{ byWeekday: 'FR', time: '19:30', from: day(40), count: 'many' }, 'count', /whole number/],
      [{ byWeekday: 'MO', time: '19:30', from: day(40), until: day(40 + 3660) }, 'until', /500/],
      [
        { byWeekday: 'FR', time: '19:30', from: day(40), count: '2', durationMinutes: '-3' },
        'durationMinutes',
        /minutes/,
      ],
    ])('refuses the series %j at %s, keeping what was typed', async (fields, field, message) => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
      const page = `/organiser/events/${eventId}/dates`;
      const res = await admin.submit(`${page}/series`, fields, page);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toMatch(message);
      if (fields.time) expect(res.text).toContain(`value="${fields.time}"`);
      const dates = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body
        .dates as unknown[];
      expect(dates).toHaveLength(1);
    });

    it.each([
      [{ startsAt: '' }, 'startsAt'],
      [{ startsAt: 'soon' }, 'startsAt'],
      [{ startsAt: '2020-01-01T19:00' }, 'startsAt'],
      [{ startsAt: '2031-01-01T19:00', endsAt: '2031-01-01T18:00' }, 'endsAt'],
    ])('refuses the date %j at %s', async (fields, field) => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
      const page = `/organiser/events/${eventId}/dates`;
      const res = await admin.submit(page, fields, page);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toBeTruthy();
    });

    it('is the organiser’s own: another organiser gets 404', async () => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
      expect((await organiser.get(`/organiser/events/${eventId}/dates`)).status).toBe(404);
      const page = `/organiser/events/${eventId}/dates`;
      const res = await organiser.submit(
        `${page}/series`,
        { byWeekday: 'FR', time: '19:30', from: day(40), count: '2' },
        '/organiser',
      );
      expect(res.status).toBe(404);
    });

    it('filters the bookings list, its CSV and the API’s list by date', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 9 }],
      });
      const [{ id: first }] = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body
        .dates as { id: number }[];
      const second = await addDate(eventId, 33);
      for (const [dateId, name] of [
        [first, 'First Fiona'],
        [second, 'Second Sam'],
      ] as const) {
        await bookOn(eventId, ticketTypeIds[0], dateId, name);
      }
      const all = await admin.get(`/organiser/events/${eventId}/bookings`);
      expect(all.text).toContain('First Fiona');
      expect(all.text).toContain('Second Sam');
      const one = await admin.get(`/organiser/events/${eventId}/bookings?date=${second}`);
      expect(one.text).not.toContain('First Fiona');
      expect(one.text).toContain('Second Sam');
      expect(one.text).toContain(`bookings.csv?date=${second}`);
      const listed = await api()
        .get(`/api/v1/events/${eventId}/bookings?dateId=${second}`)
        .set(auth());
      expect((listed.body.data as { attendeeName: string }[]).map((b) => b.attendeeName)).toEqual([
        'Second Sam',
      ]);
      expect(
        (await api().get(`/api/v1/events/${eventId}/bookings?dateId=first`).set(auth())).status,
      ).toBe(400);
      const csv = await admin.get(`/organiser/events/${eventId}/bookings.csv?date=${second}`);
      expect(csv.text).toContain('Second Sam');
      expect(csv.text).not.toContain('First Fiona');
    });
  });

  it('puts every date in the event’s calendar file, and one date in a booking’s', async () => {
    const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
    const added = await api()
      .post(`/api/v1/events/${eventId}/dates`)
      .set(auth())
      .send({ startsAt: '2031-03-07T18:30:00.000Z', endsAt: '2031-03-07T21:00:00.000Z' })
      .expect(201);
    const dateId = added.body.data[0].id as number;
    const all = await api().get(`/event/${eventId}/calendar.ics`);
    expect(all.text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    const one = await api().get(`/event/${eventId}/calendar.ics?date=${dateId}`);
    expect(one.text.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(one.text).toContain('DTSTART:20310307T183000Z');
    expect(one.text).toContain('DTEND:20310307T210000Z');
    expect(one.headers['content-disposition']).toContain(`event-${eventId}-date-${dateId}.ics`);
    expect((await api().get(`/event/${eventId}/calendar.ics?date=999999`)).status).toBe(404);
  });

  it('asks on the voucher form which date a holding voucher holds on, when there are several', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 5 }],
    });
    const page = `/organiser/events/${eventId}/vouchers`;
    expect((await admin.get(page)).text).not.toContain('name="dateId"');
    const second = await addDate(eventId, 40);
    expect((await admin.get(page)).text).toContain('name="dateId"');
    const fields = {
      code: 'HOLD-TWO',
      count: '1',
      maxUsages: '2',
      ticketTypeId: String(ticketTypeIds[0]),
      priceMode: 'none',
      reservesCapacity: 'on',
    };
    const refused = await admin.submit(page, fields, page);
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="dateId-error"[^>]*>Choose the date/);
    const created = await admin.submit(page, { ...fields, dateId: String(second) }, page);
    expect(created.status).toBe(303);
    const [voucher] = await testApp.sql<{ date_id: number; held: number }[]>(
      "SELECT date_id, held FROM vouchers WHERE code = 'HOLD-TWO' AND event_id = ?",
      [eventId],
    );
    expect([Number(voucher.date_id), Number(voucher.held)]).toEqual([second, 2]);
  });

  it('offers a date’s freed tickets to that date’s waiting list, and the offer’s link opens the form on that date', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 1 }],
    });
    const second = await addDate(eventId, 41);
    const taken = await bookOn(eventId, ticketTypeIds[0], second, 'First Fan');
    const fan = testApp.browser();
    const join = await fan.get(
      `/event/${eventId}/waiting-list?ticketType=${ticketTypeIds[0]}&date=${second}`,
    );
    expect(hiddenField(join.text, 'dateId')).toBe(String(second));
    const joined = await fan.post(`/event/${eventId}/waiting-list`, {
      _csrf: hiddenField(join.text, '_csrf'),
      dateId: String(second),
      ticketTypeId: String(ticketTypeIds[0]),
      quantity: '1',
      name: 'Patient Pat',
      email: 'pat@example.com',
    });
    expect(joined.status).toBe(303);
    await api().post(`/api/v1/bookings/${taken.reference}/cancel`).set(auth()).expect(200);
    const offer = await eventually(async () => {
      const [row] = await testApp.sql<{ code: string; date_id: number }[]>(
        "SELECT v.code, v.date_id FROM waiting_list_entries e JOIN vouchers v ON v.id = e.voucher_id WHERE e.email = 'pat@example.com'",
      );
      return row;
    }, 'the offer to the second date’s waiting list');
    expect(Number(offer.date_id)).toBe(second);
    const code = offer.code;
    const form = await testApp.browser().get(`/buy-tickets/${eventId}?voucher=${code}`);
    expect(hiddenField(form.text, 'dateId')).toBe(String(second));
    expect(form.text).toContain('1 left');
  });

  it('refuses moving a series’ start in the event form or the API (its dates page does that), and takes other edits', async () => {
    const id = await createEvent(testApp, organiser);
    await addDate(id, 50);
    const moved = await api()
      .patch(`/api/v1/events/${id}`)
      .set(auth())
      .send({ startsAt: new Date(Date.now() + 60 * 86_400_000).toISOString() });
    expect(moved.status).toBe(400);
    expect(moved.body.errors).toEqual([
      {
        field: 'startsAt',
        message: 'This event has several dates: add, remove or cancel them on its dates page.',
      },
    ]);
    const renamed = await api()
      .patch(`/api/v1/events/${id}`)
      .set(auth())
      .send({ title: 'Renamed series' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.dates).toHaveLength(2);
  });

  it('charts one date’s sales on the event’s sales page, and counts every date’s capacity on the dashboard', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      title: 'Charted series',
      ticketTypes: [{ capacity: 10 }],
    });
    const [{ id: first }] = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body
      .dates as { id: number }[];
    const second = await addDate(eventId, 42);
    await bookOn(eventId, ticketTypeIds[0], first, 'Chart One', 3);
    await bookOn(eventId, ticketTypeIds[0], second, 'Chart Two', 2);
    const label = (html: string) => /aria-label="(Tickets sold over time[^"]*)"/.exec(html)?.[1];
    const all = await admin.get(`/organiser/events/${eventId}/sales`);
    expect(all.status).toBe(200);
    expect(label(all.text)).toContain('5 of 20');
    const one = await admin.get(`/organiser/events/${eventId}/sales?date=${second}`);
    expect(label(one.text)).toContain('2 of 10');
    expect(one.text).toContain(`/organiser/events/${eventId}/sales?date=${first}`);
    expect((await admin.get(`/organiser/events/${eventId}/sales?date=999999`)).status).toBe(404);
    expect((await organiser.get(`/organiser/events/${eventId}/sales`)).status).toBe(404);
  });

  it('shows a series’ start on the edit form as its first date’s, read-only, with the way to its dates', async () => {
    const id = await createEvent(testApp, organiser);
    expect((await organiser.get(`/edit-event/${id}`)).text).not.toContain('series-hint');
    await addDate(id, 55);
    const form = await organiser.get(`/edit-event/${id}`);
    expect(form.text).toMatch(/id="startsAt"[^>]*readonly/);
    expect(form.text).toContain('The first of 2 dates');
    expect(form.text).toContain(`href="/organiser/events/${id}/dates"`);
  });
});
