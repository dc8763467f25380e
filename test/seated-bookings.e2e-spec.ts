import request from 'supertest';
import { HoldSweeper } from '../src/bookings/hold-sweeper';
import { gridSection } from './support/seat-maps';
import {
  Browser,
  createApiToken,
  postBuyForm,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  timestampParam,
  writeSql,
  giveEventTo,
} from './support/test-app';

interface SeatJson {
  id: number;
  label: string;
  ticketTypeId: number;
  status: string;
}
interface MapJson {
  sections: { name: string; rows: { label: string; seats: SeatJson[] }[] }[];
}
interface BookingJson {
  reference: string;
  status: string;
  tickets: { ticketTypeId: number; seat: { section: string; row: string; seat: string } | null }[];
}

/** PRODUCT.md "Reserved seating": booking seats, each sold at most once, held and freed with its booking. */
describe('booking seats', () => {
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
    await api()
      .put('/api/v1/settings')
      .set(auth())
      .send({ bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
      .expect(200);
  });
  afterAll(() => testApp.close());

  /** A hall: Stalls (3 rows of 8, type 0) and Circle (2 rows of 6, type 1), and standing (type 2). */
  async function hall(namePerTicket = false) {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      namePerTicket,
      ticketTypes: [
        { name: 'Stalls', capacity: 1, priceCents: 3000 },
        { name: 'Circle', capacity: 1, priceCents: 2000 },
        { name: 'Standing', capacity: 50, priceCents: 1000 },
      ],
    });
    const [stalls, circle] = ticketTypeIds;
    const map = await api()
      .put(`/api/v1/events/${eventId}/seating`)
      .set(auth())
      .send({
        sections: [
          gridSection('Stalls', 3, 8, stalls),
          gridSection('Circle', 2, 6, circle, { x: 0, y: 300 }),
        ],
      })
      .expect(200);
    const seats = (map.body as MapJson).sections.flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats.map((seat) => ({ ...seat, section: section.name, row: row.label })),
      ),
    );
    const seat = (section: string, row: string, label: string) =>
      seats.find((s) => s.section === section && s.row === row && s.label === label)!.id;
    return { eventId, ticketTypeIds, seat };
  }

  const book = (eventId: number, body: object) =>
    api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({ attendeeName: 'Sam Seated', attendeeEmail: 'sam@example.com', ...body });
  const statusOf = async (eventId: number) => {
    const map = (await api().get(`/api/v1/events/${eventId}/seating`).set(auth())).body as MapJson;
    return new Map(
      map.sections.flatMap((section) =>
        section.rows.flatMap((row) => row.seats.map((seat) => [seat.id, seat.status] as const)),
      ),
    );
  };
  const bookingCount = async (eventId: number) =>
    Number(
      (
        await testApp.sql<{ n: number }[]>(
          "SELECT COUNT(*) AS n FROM bookings WHERE event_id = ? AND status IN ('pending', 'confirmed')",
          [eventId],
        )
      )[0].n,
    );

  it('books the seats picked, names them on the tickets, and shows them sold', async () => {
    const { eventId, ticketTypeIds, seat } = await hall();
    const picked = [seat('Stalls', 'B', '4'), seat('Stalls', 'B', '5'), seat('Circle', 'A', '1')];
    const res = await book(eventId, {
      seatIds: picked,
      items: [{ ticketTypeId: ticketTypeIds[2], quantity: 1 }],
    }).expect(201);
    const booking = res.body as BookingJson & { totalCents: number };
    expect(booking.totalCents).toBe(3000 * 2 + 2000 + 1000);
    expect(booking.tickets.map((ticket) => [ticket.ticketTypeId, ticket.seat])).toEqual(
      expect.arrayContaining([
        [ticketTypeIds[0], { section: 'Stalls', row: 'B', seat: '4' }],
        [ticketTypeIds[0], { section: 'Stalls', row: 'B', seat: '5' }],
        [ticketTypeIds[1], { section: 'Circle', row: 'A', seat: '1' }],
        [ticketTypeIds[2], null],
      ]),
    );
    const status = await statusOf(eventId);
    expect(picked.map((id) => status.get(id))).toEqual(['sold', 'sold', 'sold']);
    expect([...status.values()].filter((s) => s === 'sold')).toHaveLength(3);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('takes an item for a seated type that agrees with its seats, and refuses one that does not', async () => {
    const { eventId, ticketTypeIds, seat } = await hall();
    const seatIds = [seat('Stalls', 'A', '1'), seat('Stalls', 'A', '2')];
    const refused = await book(eventId, {
      seatIds,
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 3 }],
    }).expect(400);
    expect(refused.body.errors[0].field).toBe('items.0.quantity');
    await book(eventId, {
      seatIds,
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
    }).expect(201);
  });

  it.each([
    [
      'a seat picked twice',
      (s: Seat) => ({ seatIds: [s('Stalls', 'A', '1'), s('Stalls', 'A', '1')] }),
      400,
      'seatIds.1',
    ],
    ['a seat of another event', () => ({ seatIds: [1] }), 400, 'seatIds.0'],
    ['an unknown seat', () => ({ seatIds: [99999999] }), 400, 'seatIds.0'],
    ['a seat id that is not a number', () => ({ seatIds: ['A1'] }), 400, 'seatIds'],
    [
      'a seated type without seats',
      (_s: Seat, t: number[]) => ({ items: [{ ticketTypeId: t[0], quantity: 1 }] }),
      400,
      'items.0.quantity',
    ],
    ['nothing at all', () => ({}), 400, 'items'],
    [
      'best available of a standing type',
      (_s: Seat, t: number[]) => ({ bestAvailable: { ticketTypeId: t[2], quantity: 2 } }),
      400,
      'bestAvailable.ticketTypeId',
    ],
    [
      'best available of 0 seats',
      (_s: Seat, t: number[]) => ({ bestAvailable: { ticketTypeId: t[0], quantity: 0 } }),
      400,
      'bestAvailable.quantity',
    ],
  ])('refuses %s, naming the field, and books nothing', async (_name, body, status, field) => {
    const { eventId, ticketTypeIds, seat } = await hall();
    const res = await book(eventId, body(seat, ticketTypeIds)).expect(status);
    expect((res.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
    expect(await bookingCount(eventId)).toBe(0);
    expect(new Set((await statusOf(eventId)).values())).toEqual(new Set(['free']));
  });

  it('refuses an unavailable seat with 409', async () => {
    const { eventId, ticketTypeIds } = await hall();
    const section = gridSection('Stalls', 1, 2, ticketTypeIds[0]);
    (section.rows[0].seats[1] as { unavailable?: boolean }).unavailable = true;
    const map = (
      await api()
        .put(`/api/v1/events/${eventId}/seating`)
        .set(auth())
        .send({ sections: [section] })
        .expect(200)
    ).body as MapJson;
    const res = await book(eventId, { seatIds: [map.sections[0].rows[0].seats[1].id] }).expect(409);
    expect(res.body.errors[0].field).toBe('seatIds.0');
  });

  it('refuses a seat someone else has (409 at seatIds) and books none of the order', async () => {
    const { eventId, seat } = await hall();
    await book(eventId, { seatIds: [seat('Stalls', 'A', '3')] }).expect(201);
    const res = await book(eventId, {
      seatIds: [seat('Stalls', 'A', '4'), seat('Stalls', 'A', '3')],
    }).expect(409);
    expect(res.body.errors[0].field).toBe('seatIds');
    expect((await statusOf(eventId)).get(seat('Stalls', 'A', '4'))).toBe('free');
    expect(await bookingCount(eventId)).toBe(1);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('finds the best seats together: the front row, in the middle', async () => {
    const { eventId, ticketTypeIds } = await hall();
    const res = await book(eventId, {
      bestAvailable: { ticketTypeId: ticketTypeIds[0], quantity: 4 },
    }).expect(201);
    expect((res.body as BookingJson).tickets.map((ticket) => ticket.seat)).toEqual(
      ['3', '4', '5', '6'].map((label) => ({ section: 'Stalls', row: 'A', seat: label })),
    );
    const next = await book(eventId, {
      bestAvailable: { ticketTypeId: ticketTypeIds[0], quantity: 3 },
    }).expect(201);
    expect((next.body as BookingJson).tickets.map((ticket) => ticket.seat!.row)).toEqual([
      'B',
      'B',
      'B',
    ]);
    const none = await book(eventId, {
      bestAvailable: { ticketTypeId: ticketTypeIds[1], quantity: 7 },
    }).expect(409);
    expect(none.body.errors[0].field).toBe('bestAvailable');
  });

  it('looks past rows with free seats but none together, deeper than the first rows it reads', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ name: 'Hall', capacity: 1, priceCents: 2500 }],
    });
    const map = await api()
      .put(`/api/v1/events/${eventId}/seating`)
      .set(auth())
      .send({ sections: [gridSection('Hall', 10, 6, ticketTypeIds[0])] })
      .expect(200);
    const seats = (map.body as MapJson).sections[0].rows.flatMap((row) =>
      row.seats.map((seat) => ({ ...seat, row: row.label })),
    );
    const middles = (rows: string[]) =>
      seats
        .filter((seat) => rows.includes(seat.row) && ['3', '4'].includes(seat.label))
        .map((seat) => seat.id);
    await book(eventId, { seatIds: middles(['A', 'B', 'C']) }).expect(201);
    await book(eventId, { seatIds: middles(['D', 'E', 'F']) }).expect(201);
    const res = await book(eventId, {
      bestAvailable: { ticketTypeId: ticketTypeIds[0], quantity: 4 },
    }).expect(201);
    expect((res.body as BookingJson).tickets.map((ticket) => ticket.seat)).toEqual(
      ['2', '3', '4', '5'].map((label) => ({ section: 'Hall', row: 'G', seat: label })),
    );
    const pair = await book(eventId, {
      bestAvailable: { ticketTypeId: ticketTypeIds[0], quantity: 2 },
    }).expect(201);
    expect((pair.body as BookingJson).tickets.map((ticket) => ticket.seat)).toEqual(
      ['1', '2'].map((label) => ({ section: 'Hall', row: 'A', seat: label })),
    );
  });

  it('holds seats while the booking is pending, and frees them once when it lapses', async () => {
    const { eventId, seat } = await hall();
    const seatIds = [seat('Circle', 'B', '2'), seat('Circle', 'B', '3')];
    const held = await book(eventId, { seatIds, paymentMethod: 'bank_transfer' }).expect(201);
    expect((held.body as BookingJson).status).toBe('pending');
    expect(
      [...(await statusOf(eventId)).entries()]
        .filter(([, s]) => s === 'held')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...seatIds].sort());
    await writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE reference = ?', [
      timestampParam(testApp, new Date(Date.now() - 60_000)),
      (held.body as BookingJson).reference,
    ]);
    const sweeper = testApp.app.get(HoldSweeper);
    await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    const status = await statusOf(eventId);
    expect(seatIds.map((id) => status.get(id))).toEqual(['free', 'free']);
    await book(eventId, { seatIds }).expect(201);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('frees the seats of a cancelled booking, once', async () => {
    const { eventId, seat } = await hall();
    const seatIds = [seat('Stalls', 'C', '7')];
    const first = (await book(eventId, { seatIds }).expect(201)).body as BookingJson;
    await Promise.all([
      api().post(`/api/v1/bookings/${first.reference}/cancel`).set(auth()),
      api().post(`/api/v1/bookings/${first.reference}/cancel`).set(auth()),
    ]);
    expect((await statusOf(eventId)).get(seatIds[0])).toBe('free');
    await book(eventId, { seatIds }).expect(201);
    expect((await statusOf(eventId)).get(seatIds[0])).toBe('sold');
  });

  it('takes the seats again for a payment that comes after the hold lapsed, or refuses when they are gone', async () => {
    const { eventId, seat } = await hall();
    const late = async (seatIds: number[]) => {
      const held = (await book(eventId, { seatIds, paymentMethod: 'bank_transfer' }).expect(201))
        .body as BookingJson;
      await writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE reference = ?', [
        timestampParam(testApp, new Date(Date.now() - 60_000)),
        held.reference,
      ]);
      await testApp.app.get(HoldSweeper).sweep();
      return held.reference;
    };
    const kept = await late([seat('Stalls', 'A', '1')]);
    await api().post(`/api/v1/bookings/${kept}/mark-paid`).set(auth()).expect(200);
    expect((await statusOf(eventId)).get(seat('Stalls', 'A', '1'))).toBe('sold');

    const lost = await late([seat('Stalls', 'A', '2')]);
    await book(eventId, { seatIds: [seat('Stalls', 'A', '2')] }).expect(201);
    await api().post(`/api/v1/bookings/${lost}/mark-paid`).set(auth()).expect(409);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('draws the next date’s seats on the organiser’s dashboard: sold filled in, held half, free open', async () => {
    const { eventId, seat } = await hall();
    const organiser = testApp.browser();
    const email = await register(organiser);
    await giveEventTo(testApp, eventId, email);
    await book(eventId, { seatIds: [seat('Stalls', 'A', '1'), seat('Stalls', 'A', '2')] }).expect(
      201,
    );
    await book(eventId, {
      seatIds: [seat('Circle', 'B', '1')],
      paymentMethod: 'bank_transfer',
    }).expect(201);

    const dashboard = await organiser.get('/organiser');
    expect(dashboard.text).toContain(`<img src="/organiser/events/${eventId}/seating/map.svg"`);
    expect(dashboard.text).toContain('<span data-seats-sold>2 sold</span>');
    expect(dashboard.text).toContain('<span data-seats-held>1 held</span>');
    expect(dashboard.text).toContain('<span data-seats-free>33 free</span>');

    const picture = await organiser.get(`/organiser/events/${eventId}/seating/map.svg`);
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toMatch(/^image\/svg\+xml/);
    // An image: supertest keeps its body as bytes.
    const seats = (picture.body as Buffer).toString('utf8').match(/<circle [^>]*>/g) ?? [];
    expect(seats).toHaveLength(3 * 8 + 2 * 6);
    const painted = (pattern: RegExp) => seats.filter((circle) => pattern.test(circle)).length;
    expect(painted(/fill="#[0-9a-f]{6}" fill-opacity="1"/)).toBe(2);
    expect(painted(/fill-opacity="0.4"/)).toBe(1);
    expect(painted(/fill="#fff" fill-opacity="1" stroke="#[0-9a-f]{6}"/)).toBe(33);

    const stranger = testApp.browser();
    await register(stranger);
    expect((await stranger.get(`/organiser/events/${eventId}/seating/map.svg`)).status).toBe(404);
    const standing = await insertEvent(testApp, { ticketTypes: [{ capacity: 5 }] });
    await giveEventTo(testApp, standing.eventId, email);
    const both = await organiser.get('/organiser');
    expect(both.text.match(/seating\/map\.svg/g)).toHaveLength(1);
    expect(
      (await organiser.get(`/organiser/events/${standing.eventId}/seating/map.svg`)).status,
    ).toBe(404);
  });

  it('names the seats on the bookings page and in the CSV', async () => {
    const { eventId, seat } = await hall();
    const booked = (
      await book(eventId, { seatIds: [seat('Circle', 'A', '5'), seat('Circle', 'A', '6')] }).expect(
        201,
      )
    ).body as BookingJson;
    const list = await admin.get(`/organiser/events/${eventId}/bookings`);
    expect(list.text).toContain('Circle, row A, seat 5');
    const csv = (await admin.get(`/organiser/events/${eventId}/bookings.csv`)).text;
    const row = csv.split('\r\n').find((line) => line.startsWith(`"${booked.reference}"`));
    expect(row).toMatch(/,"Circle, row A, seat 5; Circle, row A, seat 6"$/);
  });

  describe('on the buy form', () => {
    it('draws the map, lists only the free seats as checkboxes, and offers the best seats together', async () => {
      const { eventId, ticketTypeIds, seat } = await hall();
      await book(eventId, { seatIds: [seat('Stalls', 'A', '1')] }).expect(201);
      const page = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(page.status).toBe(200);
      expect(page.text.match(/<circle cx="[^"]+" cy="[^"]+" r="11" data-seat=/g)).toHaveLength(36);
      expect(page.text).toContain(`data-seat="${seat('Stalls', 'A', '1')}" class="seat seat-sold"`);
      expect(page.text).toContain(`data-seat="${seat('Stalls', 'A', '2')}" class="seat seat-free"`);
      expect(page.text.match(/name="seats\[\]"/g)).toHaveLength(35);
      expect(page.text).not.toContain(`name="seats[]" value="${seat('Stalls', 'A', '1')}"`);
      expect(page.text).toContain(
        '<legend>Stalls, row B <span class="muted small">€30.00</span></legend>',
      );
      expect(page.text).toContain(`name="bestAvailable[${ticketTypeIds[0]}]"`);
      expect(page.text).toContain(`name="quantities[${ticketTypeIds[2]}]"`);
      expect(page.text).not.toContain(`name="quantities[${ticketTypeIds[0]}]"`);
    });

    it('books the seats picked (seats[]) with no quantity given', async () => {
      const { eventId, seat } = await hall();
      const picked = [seat('Stalls', 'C', '1'), seat('Stalls', 'C', '2')];
      const res = await postBuyForm(
        testApp,
        eventId,
        picked.map((id): [string, string] => ['seats[]', String(id)]),
      );
      expect(res.status).toBe(303);
      // Buyers here pay by transfer: the seats are held until paid.
      const status = await statusOf(eventId);
      expect(picked.map((id) => status.get(id))).toEqual(['held', 'held']);
    });

    it('puts the names typed on the seated tickets, when the event asks for them', async () => {
      const { eventId, ticketTypeIds, seat } = await hall(true);
      const picked = [seat('Circle', 'B', '1'), seat('Circle', 'B', '2')];
      const res = await postBuyForm(testApp, eventId, [
        ...picked.map((id): [string, string] => ['seats[]', String(id)]),
        [`ticketNames[${ticketTypeIds[1]}][]`, 'Ann Aisle'],
        [`ticketNames[${ticketTypeIds[1]}][]`, 'Ben Beside'],
      ]);
      expect(res.status).toBe(303);
      const names = await testApp.sql<{ attendee_name: string }[]>(
        `SELECT tickets.attendee_name FROM tickets JOIN bookings ON bookings.id = tickets.booking_id
         WHERE bookings.event_id = ? ORDER BY tickets.id`,
        [eventId],
      );
      expect(names.map((row) => row.attendee_name)).toEqual(['Ann Aisle', 'Ben Beside']);
      const missing = await postBuyForm(testApp, eventId, [
        ['seats[]', String(seat('Circle', 'B', '3'))],
      ]);
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('Enter the name on the “Circle” ticket.');
    });

    it('books seats found together (bestAvailable[<type>]=N)', async () => {
      const { eventId, ticketTypeIds } = await hall();
      const res = await postBuyForm(testApp, eventId, [
        [`bestAvailable[${ticketTypeIds[1]}]`, '2'],
      ]);
      expect(res.status).toBe(303);
      expect([...(await statusOf(eventId)).values()].filter((s) => s === 'held')).toHaveLength(2);
    });

    it('says a seat just taken at the seats field, with 422, and books nothing', async () => {
      const { eventId, seat } = await hall();
      await book(eventId, { seatIds: [seat('Stalls', 'A', '8')] }).expect(201);
      const res = await postBuyForm(testApp, eventId, [
        ['seats[]', String(seat('Stalls', 'A', '8'))],
      ]);
      expect(res.status).toBe(422);
      expect(res.text).toContain('has just been taken');
      expect(await bookingCount(eventId)).toBe(1);
    });

    it.each([
      ['a seat id that is not a number', [['seats[]', 'A1']]],
      ['best available of -1', [['bestAvailable[1]', '-1']]],
      ['nothing chosen', []],
    ])('refuses %s with 422', async (_name, fields) => {
      const { eventId } = await hall();
      const res = await postBuyForm(testApp, eventId, fields as [string, string][]);
      expect(res.status).toBe(422);
      expect(await bookingCount(eventId)).toBe(0);
    });
  });
});

type Seat = (section: string, row: string, label: string) => number;
