import request from 'supertest';
import {
  Browser,
  createApiToken,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';
import { gridSection } from './support/seat-maps';

interface SeatJson {
  id: number;
  label: string;
  ticketTypeId: number;
  x: number;
  y: number;
  status: string;
}
interface MapJson {
  eventId: number;
  dateId: number;
  sections: { id: number; name: string; rows: { label: string; seats: SeatJson[] }[] }[];
}

/** PRODUCT.md "Reserved seating": the map, over the API. */
describe('seat maps', () => {
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

  const seatedEvent = () =>
    insertEvent(testApp, {
      ticketTypes: [
        { name: 'Stalls', capacity: 1, priceCents: 3000 },
        { name: 'Circle', capacity: 1, priceCents: 2000 },
      ],
    });
  const put = (eventId: number, body: unknown) =>
    api()
      .put(`/api/v1/events/${eventId}/seating`)
      .set(auth())
      .send(body as object);
  const get = (eventId: number, query = '') =>
    api().get(`/api/v1/events/${eventId}/seating${query}`).set(auth());
  const seatsOf = (map: MapJson) =>
    map.sections.flatMap((section) => section.rows.flatMap((row) => row.seats));

  it('stores a map and answers it with every seat free; each seated type’s capacity is its seats', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    const [stalls, circle] = ticketTypeIds;
    const res = await put(eventId, {
      sections: [
        gridSection('Stalls', 3, 10, stalls),
        gridSection('Circle', 2, 8, circle, { x: 0, y: 200 }),
      ],
    }).expect(200);
    const map = res.body as MapJson;
    expect(
      map.sections.map((section) => [section.name, section.rows.map((row) => row.label)]),
    ).toEqual([
      ['Stalls', ['A', 'B', 'C']],
      ['Circle', ['A', 'B']],
    ]);
    expect(seatsOf(map)).toHaveLength(46);
    expect(new Set(seatsOf(map).map((seat) => seat.status))).toEqual(new Set(['free']));
    expect((await get(eventId).expect(200)).body).toEqual(map);
    const event = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body as {
      ticketTypes: { capacity: number; remaining: number }[];
    };
    expect(event.ticketTypes.map((type) => [type.capacity, type.remaining])).toEqual([
      [30, 30],
      [16, 16],
    ]);
  });

  it('reads a fresh 2,000-seat map through indexes at once (PostgreSQL: the planner is told of its seats)', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    await put(eventId, { sections: [gridSection('Hall', 40, 50, ticketTypeIds[0])] }).expect(200);
    if (testApp.db.options.type !== 'postgres') return;
    const { dateId } = (await get(eventId)).body as MapJson;
    const plan = await testApp.sql<Record<string, string>[]>(
      `EXPLAIN SELECT seat.id FROM seats seat
       JOIN date_seats state ON state.seat_id = seat.id AND state.date_id = ?
       WHERE seat.event_id = ? AND seat.ticket_type_id = ? AND state.status = 'free'`,
      [dateId, eventId, ticketTypeIds[0]],
    );
    // Told nothing, it expects one seat and joins each seat to every seat of the date.
    expect(plan.map((row) => Object.values(row)[0]).join('\n')).not.toContain('Join Filter');
  });

  it('keeps seats by their labels when the map is sent again, and marks unavailable ones', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    const first = (
      await put(eventId, { sections: [gridSection('Stalls', 2, 5, ticketTypeIds[0])] }).expect(200)
    ).body as MapJson;
    const again = gridSection('Stalls', 2, 5, ticketTypeIds[0]);
    (again.rows[0].seats[2] as { unavailable?: boolean }).unavailable = true;
    const second = (await put(eventId, { sections: [again] }).expect(200)).body as MapJson;
    expect(seatsOf(second).map((seat) => seat.id)).toEqual(seatsOf(first).map((seat) => seat.id));
    expect(seatsOf(second)[2].status).toBe('unavailable');
    const event = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body as {
      ticketTypes: { capacity: number }[];
    };
    expect(event.ticketTypes[0].capacity).toBe(9);
  });

  it('renames seats kept by id, swapping two labels without a clash', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    const first = (
      await put(eventId, { sections: [gridSection('Stalls', 1, 3, ticketTypeIds[0])] }).expect(200)
    ).body as MapJson;
    const [one, two, three] = seatsOf(first);
    const swapped = {
      sections: [
        {
          name: 'Stalls',
          rows: [
            {
              label: 'A',
              seats: [
                { id: one.id, label: '2', ticketTypeId: ticketTypeIds[0], x: 0, y: 0 },
                { id: two.id, label: '1', ticketTypeId: ticketTypeIds[0], x: 30, y: 0 },
                { id: three.id, label: '3', ticketTypeId: ticketTypeIds[0], x: 60, y: 0 },
              ],
            },
          ],
        },
      ],
    };
    const res = (await put(eventId, swapped).expect(200)).body as MapJson;
    expect(seatsOf(res).map((seat) => [seat.id, seat.label])).toEqual([
      [one.id, '2'],
      [two.id, '1'],
      [three.id, '3'],
    ]);
  });

  it.each([
    [
      'an unknown ticket type',
      (t: number[]) => seatWith(t, { ticketTypeId: 999999 }),
      'sections.0.rows.0.seats.1.ticketTypeId',
    ],
    ['a negative x', (t: number[]) => seatWith(t, { x: -1 }), 'sections.0.rows.0.seats.1.x'],
    [
      'a label of 11 characters',
      (t: number[]) => seatWith(t, { label: 'X'.repeat(11) }),
      'sections.0.rows.0.seats.1.label',
    ],
    [
      'a label with a line break',
      (t: number[]) => seatWith(t, { label: '1\n2' }),
      'sections.0.rows.0.seats.1.label',
    ],
    [
      'a string for a ticket type',
      (t: number[]) => seatWith(t, { ticketTypeId: 'stalls' }),
      'sections.0.rows.0.seats.1.ticketTypeId',
    ],
    [
      'an unknown seat id',
      (t: number[]) => seatWith(t, { id: 999999 }),
      'sections.0.rows.0.seats.1.id',
    ],
    [
      'a duplicate seat label',
      (t: number[]) => seatWith(t, { label: '1' }),
      'sections.0.rows.0.seats.1.label',
    ],
    [
      'two seats at one place',
      (t: number[]) => seatWith(t, { x: 0 }),
      'sections.0.rows.0.seats.1.x',
    ],
    [
      'a duplicate row label',
      (t: number[]) => {
        const section = gridSection('Stalls', 2, 2, t[0]);
        section.rows[1].label = 'A';
        return { sections: [section] };
      },
      'sections.0.rows.1.label',
    ],
    [
      'two sections of one name',
      (t: number[]) => ({
        sections: [
          gridSection('Stalls', 1, 2, t[0]),
          gridSection('stalls', 1, 2, t[0], { x: 0, y: 100 }),
        ],
      }),
      'sections.1.name',
    ],
    ['no sections list', () => ({}), 'sections'],
    ['sections as a string', () => ({ sections: 'Stalls' }), 'sections'],
    [
      'a section without a name',
      (t: number[]) => ({ sections: [{ rows: gridSection('x', 1, 1, t[0]).rows }] }),
      'sections.0.name',
    ],
  ])('refuses %s with 400 naming the path, and changes nothing', async (_name, body, path) => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    await put(eventId, { sections: [gridSection('Before', 1, 2, ticketTypeIds[0])] }).expect(200);
    const before = (await get(eventId)).body as MapJson;
    const res = await put(eventId, body(ticketTypeIds)).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((res.body.errors as { field: string }[]).map((error) => error.field)).toContain(path);
    expect((await get(eventId)).body).toEqual(before);
  });

  it('names at most 100 bad fields of a map wrong throughout', async () => {
    const { eventId } = await seatedEvent();
    const res = await put(eventId, { sections: [gridSection('Stalls', 20, 50, 999999)] }).expect(
      400,
    );
    expect(res.body.errors).toHaveLength(100);
    const wrong = gridSection('Stalls', 20, 50, 1);
    wrong.rows.forEach((row) => row.seats.forEach((seat) => (seat.x = -1)));
    expect((await put(eventId, { sections: [wrong] }).expect(400)).body.errors).toHaveLength(100);
  });

  it('refuses 20,000 seats with 400 at sections', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    const sections = Array.from({ length: 40 }, (_, n) =>
      gridSection(`Block ${n + 1}`, 20, 25, ticketTypeIds[0], {
        x: (n % 8) * 800,
        y: Math.floor(n / 8) * 700,
      }),
    );
    const res = await put(eventId, { sections }).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'sections', message: expect.stringContaining('at most 10000 seats') },
    ]);
    expect(seatsOf((await get(eventId)).body as MapJson)).toHaveLength(0);
  });

  it('refuses to seat a ticket type that has sold tickets without seats (409)', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Early Bird',
        attendeeEmail: 'early@example.com',
        items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
      })
      .expect(201);
    const res = await put(eventId, {
      sections: [gridSection('Stalls', 1, 2, ticketTypeIds[0])],
    }).expect(409);
    expect(res.body.errors[0].field).toBe('sections.0.rows.0.seats.0.ticketTypeId');
  });

  it('refuses a capacity edit of a seated type: its capacity is its seats', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    await put(eventId, { sections: [gridSection('Stalls', 1, 4, ticketTypeIds[0])] }).expect(200);
    const event = (await api().get(`/api/v1/events/${eventId}`).set(auth())).body as {
      ticketTypes: { id: number; name: string; priceCents: number; capacity: number }[];
    };
    const res = await api()
      .patch(`/api/v1/events/${eventId}`)
      .set(auth())
      .send({
        ticketTypes: event.ticketTypes.map(({ id, name, priceCents }, index) => ({
          id,
          name,
          priceCents,
          capacity: index === 0 ? 100 : 1,
        })),
      })
      .expect(400);
    expect(res.body.errors[0]).toEqual({
      field: 'ticketTypes.0.capacity',
      message: expect.stringContaining('sold by seat'),
    });
  });

  it('gives a new date of a seated event every seat, free', async () => {
    const { eventId, ticketTypeIds } = await seatedEvent();
    await put(eventId, { sections: [gridSection('Stalls', 2, 3, ticketTypeIds[0])] }).expect(200);
    const added = await api()
      .post(`/api/v1/events/${eventId}/dates`)
      .set(auth())
      .send({ startsAt: new Date(Date.now() + 60 * 86_400_000).toISOString() })
      .expect(201);
    const dateId = (added.body.data as { id: number }[])[0].id;
    const map = (await get(eventId, `?dateId=${dateId}`).expect(200)).body as MapJson;
    expect(map.dateId).toBe(dateId);
    expect(seatsOf(map).map((seat) => seat.status)).toEqual(Array(6).fill('free'));
    expect(added.body.data[0].ticketTypes[0]).toMatchObject({ capacity: 6, remaining: 6 });
  });

  it('answers 404 for another event’s date and for an unknown event', async () => {
    const { eventId } = await seatedEvent();
    const other = await seatedEvent();
    const [{ id: otherDate }] = await testApp.sql<{ id: number }[]>(
      'SELECT id FROM event_dates WHERE event_id = ?',
      [other.eventId],
    );
    await get(eventId, `?dateId=${otherDate}`).expect(404);
    await get(999999).expect(404);
    await get(eventId, '?dateId=abc').expect(400);
  });
});

/** A two-seat row whose second seat has these fields. */
function seatWith(ticketTypeIds: number[], fields: Record<string, unknown>) {
  const section = gridSection('Stalls', 1, 2, ticketTypeIds[0]);
  Object.assign(section.rows[0].seats[1], fields);
  return { sections: [section] };
}
