import request from 'supertest';
import { BookingService } from '../src/bookings/booking.service';
import { eventually } from './support/eventually';
import {
  Browser,
  createApiToken,
  createEvent,
  FormFields,
  hiddenField,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  writeSql,
} from './support/test-app';

/** PRODUCT.md "Selling tools": vouchers, made by organisers, used by buyers, given back exactly once. */
describe('vouchers', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let token: string;
  let buyerCount = 0;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0);
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    organiser = testApp.browser();
    await register(organiser);
  });
  afterAll(() => testApp.close());

  const voucherRows = (eventId: number) =>
    testApp.sql<{ id: number; code: string; redeemed: number; held: number; max_usages: number }[]>(
      'SELECT id, code, redeemed, held, max_usages FROM vouchers WHERE event_id = ? ORDER BY id',
      [eventId],
    );
  const reservedOf = async (ticketTypeId: number) =>
    Number(
      (
        await testApp.sql<{ reserved: number }[]>(
          'SELECT reserved FROM ticket_types WHERE id = ?',
          [ticketTypeId],
        )
      )[0].reserved,
    );

  async function createVouchers(eventId: number, body: Record<string, unknown>) {
    const res = await api().post(`/api/v1/events/${eventId}/vouchers`).set(auth()).send(body);
    if (res.status !== 201) throw new Error(`voucher not created: ${res.status} ${res.text}`);
    return res.body.data as { id: number; code: string }[];
  }

  /** Buys through the buy form as a browser does, with `voucher` typed in. */
  async function buy(
    eventId: number,
    quantities: Record<number, number>,
    voucher: string,
    browser = testApp.browser(),
  ) {
    const page = await browser.get(
      `/buy-tickets/${eventId}?voucher=${encodeURIComponent(voucher)}`,
    );
    const n = ++buyerCount;
    const fields: FormFields = {
      _csrf: hiddenField(page.text, '_csrf'),
      idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
      attendeeName: `Buyer ${n}`,
      attendeeEmail: `voucher-buyer${n}@example.com`,
      voucher,
    };
    for (const [id, quantity] of Object.entries(quantities)) fields[`quantities[${id}]`] = quantity;
    return browser.post(`/purchase/${eventId}`, fields);
  }

  const referenceIn = (location: unknown) =>
    /ref=([0-9A-Z]{10})|booking\/([0-9A-Z]{10})/.exec(String(location))?.slice(1).find(Boolean);

  const fieldError = (html: string, id: string) =>
    new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1];

  describe('the organiser’s vouchers page', () => {
    let eventId: number;
    let fullPriceId: number;

    beforeAll(async () => {
      eventId = await createEvent(testApp, organiser);
      [{ id: fullPriceId }] = await ticketTypesOf(testApp, eventId);
    });

    const form = (fields: FormFields) =>
      organiser.submit(
        `/organiser/events/${eventId}/vouchers`,
        fields,
        `/organiser/events/${eventId}/vouchers`,
      );

    it('creates a typed code (stored upper case), lists it and links to the buy form with it', async () => {
      const res = await form({
        code: 'press-2027',
        maxUsages: '2',
        priceMode: 'percent',
        value: '50',
        tag: 'Press',
      });
      expect(res.status).toBe(303);
      const page = await organiser.get(`/organiser/events/${eventId}/vouchers`);
      expect(page.text).toContain('Voucher PRESS-2027 created.');
      expect(page.text).toContain('PRESS-2027');
      expect(page.text).toMatch(/0 \/ 2/);
      expect(page.text).toContain(`/buy-tickets/${eventId}?voucher=PRESS-2027`);
    });

    it('generates many unguessable codes at once and exports them all as CSV', async () => {
      const before = (await voucherRows(eventId)).length;
      const res = await form({ count: '40', tag: 'Sponsors' });
      expect(res.status).toBe(303);
      const rows = (await voucherRows(eventId)).slice(before);
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((row) => row.code)).size).toBe(40);
      for (const row of rows) expect(row.code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
      const csv = await organiser.get(`/organiser/events/${eventId}/vouchers.csv`);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        '"code","tag","redeemed","max_usages","valid_until","ticket_type","price_mode","value","unlocks_hidden","reserves_capacity","created_at"',
      );
      expect(lines).toHaveLength(before + 40 + 1);
      for (const row of rows) expect(csv.text).toContain(`"${row.code}","Sponsors"`);
    });

    const badForms: [string, FormFields, string, number][] = [
      ['a code of 3 characters', { code: 'abc' }, 'code', 422],
      ['a code with a space', { code: 'two words' }, 'code', 422],
      ['a code of 33 characters', { code: 'A'.repeat(33) }, 'code', 422],
      ['a typed code with a count of 5', { code: 'TYPED-5', count: '5' }, 'count', 422],
      ['a count of 0', { count: '0' }, 'count', 422],
      ['a count of 1001', { count: '1001' }, 'count', 422],
      ['tickets per code of 0', { maxUsages: '0' }, 'maxUsages', 422],
      ['tickets per code as text', { maxUsages: 'many' }, 'maxUsages', 422],
      ['a validity that is not a date', { validUntil: 'next week' }, 'validUntil', 422],
      ['a validity in the past', { validUntil: '2020-01-01T10:00' }, 'validUntil', 422],
      ['an unknown price mode', { priceMode: 'free' }, 'priceMode', 422],
      ['a percentage of 0', { priceMode: 'percent', value: '0' }, 'value', 422],
      ['a percentage of 101', { priceMode: 'percent', value: '101' }, 'value', 422],
      ['an amount that is not money', { priceMode: 'set', value: 'cheap' }, 'value', 422],
      ['a tag of 61 characters', { tag: 'x'.repeat(61) }, 'tag', 422],
      ['a tag with a line break', { tag: 'a\nb' }, 'tag', 422],
      ['a ticket type of no event', { ticketTypeId: '999999' }, 'ticketTypeId', 422],
      ['a hold without a ticket type', { reservesCapacity: 'on' }, 'ticketTypeId', 422],
      ['a code the event already has', { code: 'PRESS-2027' }, 'code', 409],
    ];

    it.each(badForms)(
      'refuses %s, with the form again and nothing created',
      async (_, fields, field, status) => {
        const before = await voucherRows(eventId);
        const res = await form(fields);
        expect(res.status).toBe(status);
        expect(fieldError(res.text, field)).toBeTruthy();
        expect(await voucherRows(eventId)).toEqual(before);
      },
    );

    it('refuses (409) a hold of more tickets than are left, holding nothing', async () => {
      const res = await form({
        ticketTypeId: String(fullPriceId),
        reservesCapacity: 'on',
        maxUsages: '101',
      });
      expect(res.status).toBe(409);
      expect(fieldError(res.text, 'reservesCapacity')).toMatch(/Only 100 tickets/);
      expect(await reservedOf(fullPriceId)).toBe(0);
    });

    it('deletes an unused voucher and gives its held tickets back to the public', async () => {
      await form({
        code: 'HOLD-FOUR',
        ticketTypeId: String(fullPriceId),
        reservesCapacity: 'on',
        maxUsages: '4',
      });
      expect(await reservedOf(fullPriceId)).toBe(4);
      const { id } = (await voucherRows(eventId)).find((row) => row.code === 'HOLD-FOUR')!;
      const res = await organiser.submit(
        `/organiser/vouchers/${id}/delete`,
        {},
        `/organiser/events/${eventId}/vouchers`,
      );
      expect(res.status).toBe(303);
      expect((await voucherRows(eventId)).map((row) => row.code)).not.toContain('HOLD-FOUR');
      expect(await reservedOf(fullPriceId)).toBe(0);
      const audit = await testApp.sql<{ action: string; details: string }[]>(
        "SELECT action, details FROM audit_log WHERE action LIKE 'voucher.%' AND details LIKE '%HOLD-FOUR%' ORDER BY id",
      );
      expect(audit.map((entry) => entry.action)).toEqual(['voucher.created', 'voucher.deleted']);
    });

    it('shows on the dashboard how many tickets were bought with vouchers', async () => {
      await api().post(`/api/v1/events/${eventId}/publish`).set(auth());
      const booked = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Press',
          attendeeEmail: 'press@example.com',
          voucherCode: 'PRESS-2027',
          items: [{ ticketTypeId: fullPriceId, quantity: 2 }],
        });
      expect(booked.status).toBe(201);
      const dashboard = await organiser.get('/organiser');
      expect(dashboard.text).toContain(
        '<span data-vouchers-redeemed>2 bought with vouchers</span>',
      );
      const csv = await organiser.get(`/organiser/events/${eventId}/bookings.csv`);
      const row = csv.text
        .split('\r\n')
        .find((line) => line.startsWith(`"${booked.body.reference}"`));
      // The voucher, then no seats.
      expect(row).toMatch(/,"PRESS-2027",$/);
    });

    it('keeps another organiser out (404)', async () => {
      const stranger = testApp.browser();
      await register(stranger);
      expect((await stranger.get(`/organiser/events/${eventId}/vouchers`)).status).toBe(404);
      expect((await stranger.get(`/organiser/events/${eventId}/vouchers.csv`)).status).toBe(404);
    });
  });

  describe('the API', () => {
    let eventId: number;
    let ticketTypeIds: number[];

    beforeAll(async () => {
      ({ eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 20 }, { capacity: 5 }],
      }));
    });

    it('creates, lists and deletes vouchers, in the JSON shape of PRODUCT.md', async () => {
      const validUntil = new Date(Date.now() + 86_400_000).toISOString();
      const res = await api().post(`/api/v1/events/${eventId}/vouchers`).set(auth()).send({
        code: 'api-code',
        maxUsages: 3,
        validUntil,
        ticketTypeId: ticketTypeIds[0],
        priceMode: 'subtract',
        value: 250,
        tag: 'API',
      });
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual([
        {
          id: expect.any(Number),
          eventId,
          code: 'API-CODE',
          maxUsages: 3,
          redeemed: 0,
          validUntil,
          ticketTypeId: ticketTypeIds[0],
          dateId: null,
          priceMode: 'subtract',
          value: 250,
          unlocksHidden: false,
          reservesCapacity: false,
          tag: 'API',
          createdAt: expect.any(String),
        },
      ]);
      const generated = await createVouchers(eventId, { count: 5 });
      expect(generated).toHaveLength(5);
      const list = await api().get(`/api/v1/events/${eventId}/vouchers?limit=2`).set(auth());
      expect(list.body).toMatchObject({ total: 6, limit: 2, offset: 0 });
      expect(list.body.data).toHaveLength(2);
      expect((await api().delete(`/api/v1/vouchers/${generated[0].id}`).set(auth())).status).toBe(
        204,
      );
      expect((await api().delete(`/api/v1/vouchers/${generated[0].id}`).set(auth())).status).toBe(
        404,
      );
    });

    const badBodies: [string, Record<string, unknown>, string, number][] = [
      ['a code with a slash', { code: 'A/B/C/D' }, 'code', 400],
      ['a count of 1001', { count: 1001 }, 'count', 400],
      ['a count as text', { count: '5' }, 'count', 400],
      ['maxUsages of 0', { maxUsages: 0 }, 'maxUsages', 400],
      ['a validity that is not ISO 8601', { validUntil: 'tomorrow' }, 'validUntil', 400],
      ['an unknown price mode', { priceMode: 'half' }, 'priceMode', 400],
      ['a negative value', { priceMode: 'set', value: -1 }, 'value', 400],
      ['a percentage of 150', { priceMode: 'percent', value: 150 }, 'value', 400],
      ['unlocksHidden as text', { unlocksHidden: 'yes' }, 'unlocksHidden', 400],
      ['a tag of 61 characters', { tag: 'x'.repeat(61) }, 'tag', 400],
      ['a hold without a ticket type', { reservesCapacity: true }, 'ticketTypeId', 400],
      ['an unknown field', { discount: 5 }, 'discount', 400],
    ];

    it.each(badBodies)(
      'refuses %s, naming the field, creating nothing',
      async (_, body, field, status) => {
        const before = await voucherRows(eventId);
        const res = await api().post(`/api/v1/events/${eventId}/vouchers`).set(auth()).send(body);
        expect(res.status).toBe(status);
        const errors = res.body.errors as { field: string }[];
        expect(errors.map((error) => error.field)).toContain(field);
        expect(await voucherRows(eventId)).toEqual(before);
      },
    );

    it('refuses to delete a voucher once a ticket was bought with it (409)', async () => {
      const [voucher] = await createVouchers(eventId, { code: 'USED-ONCE' });
      const booked = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          voucherCode: 'used-once',
          items: [{ ticketTypeId: ticketTypeIds[1], quantity: 1 }],
        });
      expect(booked.status).toBe(201);
      expect(booked.body.voucherCode).toBe('USED-ONCE');
      expect((await api().delete(`/api/v1/vouchers/${voucher.id}`).set(auth())).status).toBe(409);
    });
  });

  describe('buying with a code', () => {
    it('shows the discounted prices and the hidden types it unlocks, and charges them', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [
          { name: 'Standard', capacity: 10, priceCents: 2000 },
          { name: 'Backstage', capacity: 5, priceCents: 5000, hidden: true },
        ],
      });
      await createVouchers(eventId, {
        code: 'CREW',
        priceMode: 'percent',
        value: 25,
        unlocksHidden: true,
        maxUsages: 5,
      });
      const plain = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(plain.text).not.toContain('Backstage');
      const page = await testApp.browser().get(`/buy-tickets/${eventId}?voucher=crew`);
      expect(page.text).toContain('Backstage');
      expect(page.text).toMatch(/<del>€50\.00<\/del> €37\.50/);
      expect(page.text).toMatch(/<del>€20\.00<\/del> €15\.00/);
      expect(page.text).toContain('Code applied');

      const res = await buy(eventId, { [ticketTypeIds[0]]: 1, [ticketTypeIds[1]]: 2 }, 'crew');
      expect(res.status).toBe(303);
      const booking = await testApp.app
        .get(BookingService)
        .findByReference(referenceIn(res.headers.location));
      expect(booking.items.map((item) => item.unitPriceCents)).toEqual([1500, 3750]);
      expect(booking.totalCents).toBe(1500 + 2 * 3750);
      expect(booking.voucherCode).toBe('CREW');
      expect((await voucherRows(eventId))[0].redeemed).toBe(3);
    });

    it.each([
      ['set', 500, 2000, 500],
      ['set above the price', 9000, 2000, 9000],
      ['subtract', 750, 2000, 1250],
      ['subtract more than the price', 5000, 2000, 0],
      ['percent', 100, 2000, 0],
    ])('prices with %s (value %i): %i → %i cents', async (mode, value, price, expected) => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 5, priceCents: price }],
      });
      await createVouchers(eventId, { code: 'PRICE', priceMode: mode.split(' ')[0], value });
      const res = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          voucherCode: 'PRICE',
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        });
      expect(res.status).toBe(201);
      expect(res.body.items[0].unitPriceCents).toBe(expected);
    });

    it('refuses an unknown, expired or used-up code with the form again (422) and a message at the field', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 10 }, { capacity: 10 }],
      });
      await createVouchers(eventId, { code: 'ONCE' });
      await createVouchers(eventId, {
        code: 'LATER',
        validUntil: new Date(Date.now() + 60_000).toISOString(),
      });
      await writeSql(testApp, "UPDATE vouchers SET valid_until = ? WHERE code = 'LATER'", [
        timestampParam(testApp, new Date(Date.now() - 1000)),
      ]);
      await createVouchers(eventId, { code: 'SECOND-ONLY', ticketTypeId: ticketTypeIds[1] });
      expect((await buy(eventId, { [ticketTypeIds[0]]: 1 }, 'ONCE')).status).toBe(303);

      for (const [code, message] of [
        ['NOPE', /not valid for this event/],
        ['ONCE', /used up/],
        ['LATER', /expired/],
        ['SECOND-ONLY', /not valid for the tickets you chose/],
        ['<script>', /not valid for this event/],
        ['A'.repeat(65), /not valid for this event/],
        ['ONCE\u0007', /not valid for this event/],
      ] as const) {
        const res = await buy(eventId, { [ticketTypeIds[0]]: 1 }, code);
        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'voucher')).toMatch(message);
      }
      expect((await ticketTypesOf(testApp, eventId)).map((type) => Number(type.sold))).toEqual([
        1, 0,
      ]);
    });

    it('answers the API 400 naming voucherCode for an unknown code, 409 when used up', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 10 }],
      });
      await createVouchers(eventId, { code: 'JUST-ONE' });
      const body = (voucherCode: string) => ({
        attendeeName: 'Ada',
        attendeeEmail: 'ada@example.com',
        voucherCode,
        items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
      });
      const unknown = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(body('WRONG'));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: 'voucherCode', message: 'This code is not valid for this event.' },
      ]);
      expect(
        (await api().post(`/api/v1/events/${eventId}/bookings`).set(auth()).send(body('JUST-ONE')))
          .status,
      ).toBe(201);
      const usedUp = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(body('JUST-ONE'));
      expect(usedUp.status).toBe(409);
    });

    it('gives the usage back once when the booking is cancelled, however often cancel is pressed', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 10 }],
      });
      await createVouchers(eventId, { code: 'TWICE', maxUsages: 2 });
      const res = await buy(eventId, { [ticketTypeIds[0]]: 2 }, 'TWICE');
      const reference = referenceIn(res.headers.location)!;
      expect((await voucherRows(eventId))[0].redeemed).toBe(2);
      await Promise.all(
        Array.from({ length: 5 }, () =>
          api().post(`/api/v1/bookings/${reference}/cancel`).set(auth()),
        ),
      );
      expect((await voucherRows(eventId))[0].redeemed).toBe(0);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('gives the usage back when an unpaid hold lapses, and a reserving voucher holds its tickets again', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 10 }],
      });
      await createVouchers(eventId, {
        code: 'HELD-TWO',
        maxUsages: 2,
        ticketTypeId: ticketTypeIds[0],
        reservesCapacity: true,
      });
      expect(await reservedOf(ticketTypeIds[0])).toBe(2);
      // Held while the buyer chooses how to pay, as a buy form on a site taking money makes it.
      await testApp.app.get(BookingService).book(
        eventId,
        {
          attendeeName: 'Ada',
          attendeeEmail: 'ada@example.com',
          voucherCode: 'held-two',
          lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
        },
        { hold: 'until_chosen' },
      );
      expect(await reservedOf(ticketTypeIds[0])).toBe(0);
      expect((await voucherRows(eventId))[0]).toMatchObject({ redeemed: 2, held: 0 });
      await writeSql(
        testApp,
        "UPDATE bookings SET expires_at = ? WHERE event_id = ? AND status = 'pending'",
        [timestampParam(testApp, new Date(Date.now() - 1000)), eventId],
      );
      await eventually(async () => {
        const [voucher] = await voucherRows(eventId);
        return voucher.redeemed === 0 && voucher.held === 2;
      }, 'the lapsed hold to give the voucher its uses back');
      expect(await reservedOf(ticketTypeIds[0])).toBe(2);
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(0);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('applies a code through the form’s "Apply" button', async () => {
      const { eventId } = await insertEvent(testApp, { ticketTypes: [{ capacity: 10 }] });
      const browser = testApp.browser();
      const page = await browser.get(`/buy-tickets/${eventId}`);
      const res = await browser.post(`/buy-tickets/${eventId}/apply`, {
        _csrf: hiddenField(page.text, '_csrf'),
        voucher: ' vip 1 ',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/buy-tickets/${eventId}?voucher=vip%201`);
    });
  });

  describe('under concurrency', () => {
    it('lets 500 buyers racing one code with 10 usages have exactly 10 discounted tickets, never a 5xx', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 1000, priceCents: 3000 }],
      });
      await createVouchers(eventId, { code: 'RUSH', maxUsages: 10, priceMode: 'set', value: 1000 });
      const answers = await Promise.all(
        Array.from({ length: 500 }, () => buy(eventId, { [ticketTypeIds[0]]: 1 }, 'RUSH')),
      );
      expect(answers.filter((res) => res.status >= 500)).toEqual([]);
      expect(answers.filter((res) => res.status === 303)).toHaveLength(10);
      expect(answers.filter((res) => res.status === 422)).toHaveLength(490);
      const discounted = await testApp.sql<{ n: number }[]>(
        'SELECT SUM(i.quantity) AS n FROM booking_items i JOIN bookings b ON b.id = i.booking_id WHERE b.event_id = ? AND i.unit_price_cents = 1000',
        [eventId],
      );
      expect(Number(discounted[0].n)).toBe(10);
      expect((await voucherRows(eventId))[0].redeemed).toBe(10);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('sells the public exactly 7 of 10 while a voucher holds 3, and its holders still get their 3', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 10 }],
      });
      await createVouchers(eventId, {
        code: 'BLOCK',
        maxUsages: 3,
        ticketTypeId: ticketTypeIds[0],
        reservesCapacity: true,
      });
      // Every buyer has the form open before the first one buys.
      const forms = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const browser = testApp.browser();
          return { browser, page: await browser.get(`/buy-tickets/${eventId}`) };
        }),
      );
      const publicBuyers = forms.map(({ browser, page }) => {
        const n = ++buyerCount;
        return browser.post(`/purchase/${eventId}`, {
          _csrf: hiddenField(page.text, '_csrf'),
          idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
          attendeeName: `Public ${n}`,
          attendeeEmail: `public${n}@example.com`,
          [`quantities[${ticketTypeIds[0]}]`]: '1',
        });
      });
      const holders = Array.from({ length: 3 }, () =>
        buy(eventId, { [ticketTypeIds[0]]: 1 }, 'BLOCK'),
      );
      const [publicAnswers, holderAnswers] = await Promise.all([
        Promise.all(publicBuyers),
        Promise.all(holders),
      ]);
      expect([...publicAnswers, ...holderAnswers].filter((res) => res.status >= 500)).toEqual([]);
      expect(
        publicAnswers.filter((res) => /success/.test(String(res.headers.location))),
      ).toHaveLength(7);
      expect(holderAnswers.map((res) => res.status)).toEqual([303, 303, 303]);
      expect(holderAnswers.every((res) => /success/.test(String(res.headers.location)))).toBe(true);
      expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(10);
      expect(await reservedOf(ticketTypeIds[0])).toBe(0);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });
  });

  it('keeps the typed code and the discount when the form is refused for another field', async () => {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ capacity: 10, priceCents: 2000 }],
    });
    await createVouchers(eventId, { code: 'KEEP', priceMode: 'subtract', value: 500 });
    const browser = testApp.browser();
    const page = await browser.get(`/buy-tickets/${eventId}?voucher=KEEP`);
    const res = await browser.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(page.text, '_csrf'),
      idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
      attendeeName: 'Ada',
      attendeeEmail: 'not an email',
      voucher: 'KEEP',
      [`quantities[${ticketTypeIds[0]}]`]: '1',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="KEEP"');
    expect(res.text).toMatch(/<del>€20\.00<\/del> €15\.00/);
  });
});
