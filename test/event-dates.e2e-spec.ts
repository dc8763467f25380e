import request from 'supertest';
import {
  Browser,
  createApiToken,
  createEvent,
  hiddenField,
  insertEvent,
  register,
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

  beforeAll(async () => {
    testApp = await startTestApp();
    const admin = testApp.browser();
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
});
