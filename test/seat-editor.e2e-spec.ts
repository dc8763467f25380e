import request from 'supertest';
import {
  Browser,
  createApiToken,
  FormFields,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

interface MapJson {
  sections: {
    name: string;
    rows: {
      label: string;
      seats: { id: number; label: string; ticketTypeId: number; y: number; status: string }[];
    }[];
  }[];
}

/** PRODUCT.md "Reserved seating": the organiser builds the map on /organiser/events/:id/seating. */
describe('the seat map editor', () => {
  let testApp: TestApp;
  let admin: Browser;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  const event = () =>
    insertEvent(testApp, {
      ticketTypes: [
        { name: 'Front', capacity: 1, priceCents: 4000 },
        { name: 'Back', capacity: 1, priceCents: 2000 },
      ],
    });
  const page = (eventId: number) => `/organiser/events/${eventId}/seating`;
  const post = (eventId: number, step: string, fields: FormFields) =>
    admin.submit(`${page(eventId)}/${step}`, fields, page(eventId));
  const map = async (eventId: number) =>
    (
      await request(testApp.app.getHttpServer())
        .get(`/api/v1/events/${eventId}/seating`)
        .set('Authorization', `Bearer ${token}`)
    ).body as MapJson;
  const seatsOf = (body: MapJson) =>
    body.sections.flatMap((section) =>
      section.rows.flatMap((row) => row.seats.map((seat) => ({ row: row.label, ...seat }))),
    );
  const capacities = async (eventId: number) =>
    (
      await testApp.sql<{ capacity: number }[]>(
        'SELECT capacity FROM ticket_types WHERE event_id = ? ORDER BY sort_order',
        [eventId],
      )
    ).map((row) => Number(row.capacity));

  it('adds sections, changes seats and renames a row, each saved as the map', async () => {
    const { eventId, ticketTypeIds } = await event();
    const empty = await admin.get(page(eventId));
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('no seat map yet');
    const added = await post(eventId, 'sections', {
      name: 'Stalls',
      rows: 10,
      perRow: 12,
      firstRow: 'A',
      layout: 'curved',
      ticketTypeId: ticketTypeIds[0],
    });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(page(eventId));
    await post(eventId, 'sections', {
      name: 'Circle',
      rows: 3,
      perRow: 8,
      firstRow: 'A',
      layout: 'straight',
      ticketTypeId: ticketTypeIds[1],
    });
    expect(seatsOf(await map(eventId))).toHaveLength(144);
    expect(await capacities(eventId)).toEqual([120, 24]);

    const changed = await post(eventId, 'seats', {
      section: 'Stalls',
      rowRange: 'H-J',
      seatRange: '',
      change: `type:${ticketTypeIds[1]}`,
    });
    expect(changed.status).toBe(303);
    await post(eventId, 'seats', {
      section: 'Stalls',
      rowRange: 'A',
      seatRange: '1-2, 11-12',
      change: 'unavailable',
    });
    expect(await capacities(eventId)).toEqual([80, 60]);
    const stalls = seatsOf(await map(eventId))
      .filter((seat) => seat.row === 'A')
      .slice(0, 12);
    expect(stalls.map((seat) => seat.status)).toEqual([
      'unavailable',
      'unavailable',
      ...Array(8).fill('free'),
      'unavailable',
      'unavailable',
    ]);

    expect(
      (await post(eventId, 'rename', { section: 'Circle', row: 'A', label: 'AA' })).status,
    ).toBe(303);
    expect((await map(eventId)).sections[1].rows.map((row) => row.label)).toEqual(['AA', 'B', 'C']);
    const renamed = await post(eventId, 'rename', {
      section: 'Circle',
      row: 'B',
      seat: '3',
      label: '3a',
    });
    expect(renamed.status).toBe(303);
    expect((await admin.get(page(eventId))).text).toContain('Seat 3 of row B is now seat 3a.');
    expect(
      (await map(eventId)).sections[1].rows[1].seats.map((seat) => seat.label).slice(0, 4),
    ).toEqual(['1', '2', '3a', '4']);
    const shown = await admin.get(page(eventId));
    expect(shown.text).toContain('Front: 80 seats');
    expect(shown.text.match(/ data-seat=/g)).toHaveLength(144);
  });

  it.each([
    ['no section name', 'sections', { name: '', rows: 2, perRow: 2 }, 'name'],
    ['0 rows', 'sections', { name: 'S', rows: 0, perRow: 2 }, 'rows'],
    ['501 seats a row', 'sections', { name: 'S', rows: 1, perRow: 501 }, 'perRow'],
    [
      'a first row of two letters',
      'sections',
      { name: 'S', rows: 1, perRow: 2, firstRow: 'AB' },
      'firstRow',
    ],
    ['curly rows', 'sections', { name: 'S', rows: 1, perRow: 2, layout: 'curly' }, 'layout'],
    [
      'an unknown section',
      'seats',
      { section: 'Balcony', rowRange: '', seatRange: '', change: 'unavailable' },
      'section',
    ],
    [
      'rows the section lacks',
      'seats',
      { section: 'Stalls', rowRange: 'X-Z', seatRange: '', change: 'unavailable' },
      'rowRange',
    ],
    [
      'rows with a script',
      'seats',
      { section: 'Stalls', rowRange: '<script>', seatRange: '', change: 'unavailable' },
      'rowRange',
    ],
    [
      'an unknown change',
      'seats',
      { section: 'Stalls', rowRange: '', seatRange: '', change: 'paint' },
      'change',
    ],
    ['a row the section lacks', 'rename', { section: 'Stalls', row: 'Q', label: 'R' }, 'row'],
    [
      'a new label of 11 characters',
      'rename',
      { section: 'Stalls', row: 'A', label: 'X'.repeat(11) },
      'label',
    ],
    [
      'a seat the row lacks',
      'rename',
      { section: 'Stalls', row: 'A', seat: '9', label: '10' },
      'seat',
    ],
    [
      'a seat of 11 characters',
      'rename',
      { section: 'Stalls', row: 'A', seat: '1'.repeat(11), label: '10' },
      'seat',
    ],
    [
      'a new seat label on two lines',
      'rename',
      { section: 'Stalls', row: 'A', seat: '1', label: '1\n2' },
      'label',
    ],
  ])(
    'refuses %s with 422 at the field, the values kept, the map unchanged',
    async (_name, step, fields, field) => {
      const { eventId, ticketTypeIds } = await event();
      await post(eventId, 'sections', {
        name: 'Stalls',
        rows: 2,
        perRow: 3,
        ticketTypeId: ticketTypeIds[0],
      });
      const before = await map(eventId);
      const res = await post(eventId, step, { ticketTypeId: ticketTypeIds[0], ...fields });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await map(eventId)).toEqual(before);
    },
  );

  it('names what the map refuses as a whole: a section twice, a ticket type of another event, a seat label twice', async () => {
    const { eventId, ticketTypeIds } = await event();
    const other = await event();
    await post(eventId, 'sections', {
      name: 'Stalls',
      rows: 1,
      perRow: 2,
      ticketTypeId: ticketTypeIds[0],
    });
    const twice = await post(eventId, 'sections', {
      name: 'stalls',
      rows: 1,
      perRow: 2,
      ticketTypeId: ticketTypeIds[0],
    });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('Two sections are called');
    const foreign = await post(eventId, 'sections', {
      name: 'Circle',
      rows: 1,
      perRow: 2,
      ticketTypeId: other.ticketTypeIds[0],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('Not one of this event’s ticket types.');
    const seatTwice = await post(eventId, 'rename', {
      section: 'Stalls',
      row: 'A',
      seat: '1',
      label: '2',
    });
    expect(seatTwice.status).toBe(422);
    expect(seatTwice.text).toContain('Two seats of row A are labelled “2”.');
    expect(seatsOf(await map(eventId)).map((seat) => seat.label)).toEqual(['1', '2']);
  });

  it('refuses to remove a section with a booked seat (409), and removes one without', async () => {
    const { eventId, ticketTypeIds } = await event();
    await post(eventId, 'sections', {
      name: 'Stalls',
      rows: 1,
      perRow: 2,
      ticketTypeId: ticketTypeIds[0],
    });
    await post(eventId, 'sections', {
      name: 'Circle',
      rows: 1,
      perRow: 2,
      ticketTypeId: ticketTypeIds[1],
    });
    const [seat] = seatsOf(await map(eventId));
    await request(testApp.app.getHttpServer())
      .post(`/api/v1/events/${eventId}/bookings`)
      .set('Authorization', `Bearer ${token}`)
      .send({ attendeeName: 'Booked', attendeeEmail: 'booked@example.com', seatIds: [seat.id] })
      .expect(201);
    const refused = await post(eventId, 'sections/remove', { section: 'Stalls' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('has a booking: it cannot be removed');
    expect((await post(eventId, 'sections/remove', { section: 'Circle' })).status).toBe(303);
    expect((await map(eventId)).sections.map((section) => section.name)).toEqual(['Stalls']);
  });

  it('is the event organiser’s only: another organiser gets 404, a visitor the login page', async () => {
    const { eventId } = await event();
    const stranger = testApp.browser();
    await register(stranger);
    expect((await stranger.get(page(eventId))).status).toBe(404);
    const visitor = await testApp.browser().get(page(eventId));
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toMatch(/^\/login/);
    const csrfless = await admin.post(`${page(eventId)}/sections`, {
      name: 'S',
      rows: 1,
      perRow: 1,
    });
    expect(csrfless.status).toBe(403);
  });
});
