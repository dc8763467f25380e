import request from 'supertest';
import {
  Browser,
  createApiToken,
  createEvent,
  eventFields,
  FormFields,
  futureDateTime,
  hiddenField,
  insertEvent,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR);

/** Ticket types' sale windows, per-order limits, hidden types and descriptions (PRODUCT.md "Selling tools"). */
describe('selling rules of a ticket type', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let token: string;
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

  const rulesOf = (eventId: number) =>
    testApp.sql<
      {
        description: string;
        min_per_order: number;
        max_per_order: number;
        hidden: boolean | number;
        sale_starts_at: unknown;
        sale_ends_at: unknown;
      }[]
    >(
      'SELECT description, min_per_order, max_per_order, hidden, sale_starts_at, sale_ends_at FROM ticket_types WHERE event_id = ? ORDER BY sort_order',
      [eventId],
    );

  /** Posts the buy form as a browser would; a page without a form (nothing on sale) still has a token to post with. */
  async function buy(browser: Browser, eventId: number, quantities: Record<number, number>) {
    const page = await browser.get(`/buy-tickets/${eventId}`);
    const onSale = page.text.includes('name="idempotencyKey"');
    const fields: FormFields = {
      _csrf: onSale ? hiddenField(page.text, '_csrf') : await browser.csrfToken(),
      attendeeName: 'Ada Lovelace',
      attendeeEmail: 'ada@example.com',
    };
    for (const [id, quantity] of Object.entries(quantities)) fields[`quantities[${id}]`] = quantity;
    if (onSale) fields.idempotencyKey = hiddenField(page.text, 'idempotencyKey');
    return browser.post(`/purchase/${eventId}`, fields);
  }

  const fieldError = (html: string, id: string) =>
    new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1];

  describe('on the event form', () => {
    it('stores every rule as typed and shows them again on the edit form', async () => {
      const startsAt = futureDateTime(1);
      const endsAt = futureDateTime(20);
      const id = await createEvent(testApp, organiser, {
        'ticketTypes[0][description]': 'Includes a <b>drink</b>',
        'ticketTypes[0][saleStartsAt]': startsAt,
        'ticketTypes[0][saleEndsAt]': endsAt,
        'ticketTypes[0][minPerOrder]': '2',
        'ticketTypes[0][maxPerOrder]': '4',
        'ticketTypes[1][hidden]': 'on',
      });
      const [first, second] = await rulesOf(id);
      expect(first).toMatchObject({
        description: 'Includes a <b>drink</b>',
        min_per_order: 2,
        max_per_order: 4,
      });
      expect(Boolean(first.hidden)).toBe(false);
      expect(Boolean(second.hidden)).toBe(true);
      expect(second).toMatchObject({ min_per_order: 1, max_per_order: 10, description: '' });

      const form = await organiser.get(`/edit-event/${id}`);
      expect(form.text).toContain(
        `name="ticketTypes[0][saleStartsAt]" type="datetime-local" value="${startsAt}"`,
      );
      expect(form.text).toContain(
        `name="ticketTypes[0][saleEndsAt]" type="datetime-local" value="${endsAt}"`,
      );
      expect(form.text).toContain('value="Includes a &lt;b&gt;drink&lt;/b&gt;"');
      expect(form.text).toMatch(/name="ticketTypes\[1\]\[hidden\]" type="checkbox" checked/);
    });

    const badRows: [string, FormFields, string, RegExp][] = [
      [
        'a description over 500 characters',
        { description: 'x'.repeat(501) },
        'description',
        /at most 500/,
      ],
      [
        'a description with a control character',
        { description: 'a\u0007b' },
        'description',
        /control/i,
      ],
      [
        'a sale start that is not a date',
        { saleStartsAt: 'tomorrow' },
        'saleStartsAt',
        /YYYY-MM-DDTHH:mm/,
      ],
      [
        'a sale end on 30 February',
        { saleEndsAt: '2031-02-30T10:00' },
        'saleEndsAt',
        /YYYY-MM-DDTHH:mm/,
      ],
      [
        'a sale that ends before it starts',
        { saleStartsAt: futureDateTime(5), saleEndsAt: futureDateTime(2) },
        'saleEndsAt',
        /end after they start/,
      ],
      ['a minimum of 0', { minPerOrder: '0' }, 'minPerOrder', /1 to 100/],
      ['a maximum of 101', { maxPerOrder: '101' }, 'maxPerOrder', /1 to 100/],
      ['a maximum that is not a number', { maxPerOrder: 'four' }, 'maxPerOrder', /1 to 100/],
      [
        'a minimum above the maximum',
        { minPerOrder: '5', maxPerOrder: '4' },
        'minPerOrder',
        /cannot be above/,
      ],
    ];

    it.each(badRows)(
      'refuses %s with 422, the values kept and nothing stored',
      async (_, row, field, message) => {
        const before = await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM events');
        const fields = eventFields(
          Object.fromEntries(
            Object.entries(row).map(([key, value]) => [`ticketTypes[0][${key}]`, value]),
          ),
        );
        const res = await organiser.submit('/create-event', fields, '/create-event');
        expect(res.status).toBe(422);
        expect(fieldError(res.text, `tt-0-${field}`)).toMatch(message);
        expect(res.text).toMatch(/<details class="ticket-type-rules" open>/);
        expect(await testApp.sql('SELECT COUNT(*) AS n FROM events')).toEqual(before);
      },
    );

    it('stores how long waiting-list offers last, and refuses hours out of 1–720', async () => {
      const id = await createEvent(testApp, organiser, { waitingListHours: '48' });
      const [event] = await testApp.sql<{ waiting_list_hours: number }[]>(
        'SELECT waiting_list_hours FROM events WHERE id = ?',
        [id],
      );
      expect(event.waiting_list_hours).toBe(48);
      for (const hours of ['0', '721', 'a day', '1.5']) {
        const res = await organiser.submit(
          '/create-event',
          eventFields({ waitingListHours: hours }),
          '/create-event',
        );
        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'waitingListHours')).toMatch(/1 to 720/);
      }
    });

    it('refuses a bad rule on edit and keeps the stored one', async () => {
      const id = await createEvent(testApp, organiser, { 'ticketTypes[0][maxPerOrder]': '6' });
      const [type] = await ticketTypesOf(testApp, id);
      const res = await organiser.submit(
        `/edit-event/${id}`,
        eventFields({
          'ticketTypes[0][id]': type.id,
          'ticketTypes[0][maxPerOrder]': '0',
          'ticketTypes[1][name]': '',
        }),
        `/edit-event/${id}`,
      );
      expect(res.status).toBe(422);
      expect((await rulesOf(id))[0].max_per_order).toBe(6);
    });
  });

  describe('in the API', () => {
    const event = (ticketType: Record<string, unknown>) => ({
      title: 'API rules',
      startsAt: inHours(24 * 30).toISOString(),
      ticketTypes: [{ name: 'Standard', priceCents: 1000, capacity: 10, ...ticketType }],
    });

    it('takes the rules, shows them in event JSON and keeps them through a PATCH that leaves them out', async () => {
      const saleStartsAt = inHours(2).toISOString();
      const created = await api()
        .post('/api/v1/events')
        .set(auth())
        .send(
          event({
            saleStartsAt,
            minPerOrder: 2,
            maxPerOrder: 3,
            hidden: true,
            description: 'Back row',
          }),
        );
      expect(created.status).toBe(201);
      const [type] = created.body.ticketTypes;
      expect(type).toMatchObject({
        saleStartsAt,
        saleEndsAt: null,
        minPerOrder: 2,
        maxPerOrder: 3,
        hidden: true,
        description: 'Back row',
      });
      const patched = await api()
        .patch(`/api/v1/events/${created.body.id}`)
        .set(auth())
        .send({ ticketTypes: [{ id: type.id, name: 'Renamed', priceCents: 1200, capacity: 12 }] });
      expect(patched.status).toBe(200);
      expect(patched.body.ticketTypes[0]).toMatchObject({
        name: 'Renamed',
        saleStartsAt,
        minPerOrder: 2,
        maxPerOrder: 3,
        hidden: true,
      });
      const cleared = await api()
        .patch(`/api/v1/events/${created.body.id}`)
        .set(auth())
        .send({
          ticketTypes: [
            {
              id: type.id,
              name: 'Renamed',
              priceCents: 1200,
              capacity: 12,
              saleStartsAt: null,
              hidden: false,
            },
          ],
        });
      expect(cleared.body.ticketTypes[0]).toMatchObject({
        saleStartsAt: null,
        hidden: false,
        minPerOrder: 2,
      });
    });

    const badTypes: [string, Record<string, unknown>, string][] = [
      [
        'a description over 500 characters',
        { description: 'x'.repeat(501) },
        'ticketTypes.0.description',
      ],
      ['a sale start that is not ISO 8601', { saleStartsAt: 'soon' }, 'ticketTypes.0.saleStartsAt'],
      ['a minimum of 0', { minPerOrder: 0 }, 'ticketTypes.0.minPerOrder'],
      ['a maximum of 101', { maxPerOrder: 101 }, 'ticketTypes.0.maxPerOrder'],
      ['a maximum as text', { maxPerOrder: '4' }, 'ticketTypes.0.maxPerOrder'],
      ['hidden as text', { hidden: 'yes' }, 'ticketTypes.0.hidden'],
      [
        'a minimum above the maximum',
        { minPerOrder: 5, maxPerOrder: 2 },
        'ticketTypes.0.minPerOrder',
      ],
      [
        'a sale ending before it starts',
        { saleStartsAt: inHours(5).toISOString(), saleEndsAt: inHours(4).toISOString() },
        'ticketTypes.0.saleEndsAt',
      ],
    ];

    it.each(badTypes)(
      'refuses %s, naming the field, and creates nothing',
      async (_, ticketType, field) => {
        const before = await testApp.sql('SELECT COUNT(*) AS n FROM events');
        const res = await api().post('/api/v1/events').set(auth()).send(event(ticketType));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const errors = res.body.errors as { field: string }[];
        expect(errors.map((error) => error.field)).toContain(field);
        expect(await testApp.sql('SELECT COUNT(*) AS n FROM events')).toEqual(before);
      },
    );

    it('takes endsAt, shows it in event JSON, clears it with null and refuses one before the start', async () => {
      const startsAt = inHours(24 * 30);
      const endsAt = new Date(startsAt.getTime() + 3 * HOUR).toISOString();
      const created = await api()
        .post('/api/v1/events')
        .set(auth())
        .send({ ...event({}), startsAt: startsAt.toISOString(), endsAt });
      expect(created.body.endsAt).toBe(endsAt);
      const cleared = await api()
        .patch(`/api/v1/events/${created.body.id}`)
        .set(auth())
        .send({ endsAt: null });
      expect(cleared.body.endsAt).toBeNull();
      for (const bad of [startsAt.toISOString(), 'tonight']) {
        const res = await api()
          .patch(`/api/v1/events/${created.body.id}`)
          .set(auth())
          .send({ endsAt: bad });
        expect(res.status).toBe(400);
        const errors = res.body.errors as { field: string }[];
        expect(errors.map((error) => error.field)).toContain('endsAt');
      }
    });

    it('takes waitingListHours, shows it in event JSON and refuses it out of 1–720', async () => {
      const created = await api()
        .post('/api/v1/events')
        .set(auth())
        .send({ ...event({}), waitingListHours: 6 });
      expect(created.body.waitingListHours).toBe(6);
      for (const waitingListHours of [0, 721, '6']) {
        const res = await api()
          .post('/api/v1/events')
          .set(auth())
          .send({ ...event({}), waitingListHours });
        expect(res.status).toBe(400);
        const errors = res.body.errors as { field: string }[];
        expect(errors.map((error) => error.field)).toContain('waitingListHours');
      }
    });

    it('lists the rules in the OpenAPI document', async () => {
      const doc = await api().get('/api/docs-json');
      const properties = doc.body.components.schemas.TicketTypeDto.properties;
      for (const field of [
        'saleStartsAt',
        'saleEndsAt',
        'minPerOrder',
        'maxPerOrder',
        'hidden',
        'description',
      ])
        expect(properties).toHaveProperty(field);
    });
  });

  describe('when buying', () => {
    it('shows a type not yet on sale with its opening time and refuses it (form 422, API 409)', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ name: 'Presale', capacity: 10, saleStartsAt: inHours(3) }],
      });
      const page = await testApp.browser().get(`/event/${eventId}`);
      expect(page.text).toContain('On sale from');
      expect(page.text).toContain('Tickets go on sale on');
      expect(page.text).not.toContain(`href="/buy-tickets/${eventId}"`);

      const res = await buy(testApp.browser(), eventId, { [ticketTypeIds[0]]: 1 });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/“Presale” is on sale from/);

      const viaApi = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        });
      expect(viaApi.status).toBe(409);
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(0);
    });

    it('shows a type whose sale has ended as such and refuses it, while another type still sells', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [
          { name: 'Early bird', capacity: 10, saleEndsAt: inHours(-1) },
          { name: 'Regular', capacity: 10 },
        ],
      });
      const form = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(form.text).toContain('Sale ended');
      expect(form.text).toMatch(new RegExp(`name="quantities\\[${ticketTypeIds[0]}\\]" disabled`));
      const refused = await buy(testApp.browser(), eventId, { [ticketTypeIds[0]]: 1 });
      expect(refused.status).toBe(422);
      expect(fieldError(refused.text, 'quantities')).toMatch(/sale of “Early bird” has ended/);
      const bought = await buy(testApp.browser(), eventId, { [ticketTypeIds[1]]: 1 });
      expect(bought.status).toBe(303);
      expect((await ticketTypesOf(testApp, eventId)).map((type) => Number(type.sold))).toEqual([
        0, 1,
      ]);
    });

    it('offers only the quantities the type allows and refuses others, naming the limits', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ name: 'Table', capacity: 20, minPerOrder: 2, maxPerOrder: 4 }],
      });
      const form = await testApp.browser().get(`/buy-tickets/${eventId}`);
      const options = [...form.text.matchAll(/<option value="(\d+)"/g)].map((match) => match[1]);
      expect(options).toEqual(['0', '2', '3', '4']);
      for (const quantity of [1, 5]) {
        const res = await buy(testApp.browser(), eventId, { [ticketTypeIds[0]]: quantity });
        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'quantities')).toMatch(/2 to 4 tickets of “Table”/);
      }
      expect((await buy(testApp.browser(), eventId, { [ticketTypeIds[0]]: 2 })).status).toBe(303);
    });

    it('never shows or sells a hidden type without a code', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [
          { name: 'Public', capacity: 10, description: 'Seats <i>anywhere</i>' },
          { name: 'Press block', capacity: 5, hidden: true },
        ],
      });
      for (const path of [`/event/${eventId}`, `/buy-tickets/${eventId}`]) {
        const page = await testApp.browser().get(path);
        expect(page.text).toContain('Seats &lt;i&gt;anywhere&lt;/i&gt;');
        expect(page.text).not.toContain('Press block');
      }
      const res = await buy(testApp.browser(), eventId, { [ticketTypeIds[1]]: 1 });
      expect(res.status).toBe(422);
      expect((await ticketTypesOf(testApp, eventId))[1].sold).toBe(0);
    });
  });
});
