import {
  Browser,
  createEvent,
  hiddenField,
  register,
  sqliteDateTime,
  startTestApp,
  TestApp,
  ticketTypesOf,
  writeSql,
} from './support/test-app';

/** One posted field; a name may appear more than once (a repeated field arrives as an array). */
type Pairs = [string, string][];

describe('buying tickets (POST /purchase/:id)', () => {
  let testApp: TestApp;
  let organiser: Browser;
  /** Full price 25.00 × 100 and Concession 12.50 × 50. */
  let eventId: number;
  let fullId: number;
  let concessionId: number;
  let otherEventId: number;
  let otherEventTypeId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0); // one listening server for all requests, so concurrent ones never race its start and stop
    organiser = testApp.browser();
    await register(organiser);
    eventId = await createEvent(testApp, organiser);
    [{ id: fullId }, { id: concessionId }] = await ticketTypesOf(testApp, eventId);
    otherEventId = await createEvent(testApp, organiser, { title: 'Another night' });
    [{ id: otherEventTypeId }] = await ticketTypesOf(testApp, otherEventId);
  });
  afterAll(() => testApp.close());

  const bookingCount = async () =>
    Number((await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM bookings'))[0].n);
  const soldOf = async (id: number) =>
    (await ticketTypesOf(testApp, id)).map((type) => Number(type.sold));

  /** Loads the buy form like a browser does; returns its CSRF token and idempotency key. */
  async function openForm(browser: Browser, id = eventId) {
    const page = await browser.get(`/buy-tickets/${id}`);
    expect(page.status).toBe(200);
    return {
      csrf: hiddenField(page.text, '_csrf'),
      idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
    };
  }

  function postPairs(browser: Browser, path: string, pairs: Pairs) {
    return browser.agent.post(path).type('form').send(new URLSearchParams(pairs).toString());
  }

  /** Fills in the buy form of `id` and submits it; `fields` overrides or adds fields. */
  async function buy(browser: Browser, id: number, fields: Record<string, string | number>) {
    const form = await openForm(browser, id);
    return browser.post(`/purchase/${id}`, {
      _csrf: form.csrf,
      idempotencyKey: form.idempotencyKey,
      attendeeName: 'Ada Lovelace',
      attendeeEmail: 'ada@example.com',
      ...fields,
    });
  }

  function referenceFrom(location: string | undefined) {
    const match = /^\/purchase\/success\?ref=([0-9A-Z]{10})$/.exec(location ?? '');
    if (!match) throw new Error(`not a success redirect: ${location}`);
    return match[1];
  }

  describe('the buy form (GET /buy-tickets/:id)', () => {
    it('has a quantities[<ticketTypeId>] field for every ticket type', async () => {
      const page = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(page.text).toContain(`name="quantities[${fullId}]"`);
      expect(page.text).toContain(`name="quantities[${concessionId}]"`);
    });

    it('has the attendee name and email fields, a hidden idempotencyKey and a CSRF token', async () => {
      const page = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(page.text).toMatch(/<input[^>]+name="attendeeName"/);
      expect(page.text).toMatch(/<input[^>]+name="attendeeEmail"/);
      expect(page.text).toMatch(
        /<input type="hidden" name="idempotencyKey" value="[A-Za-z0-9_-]{8,100}">/,
      );
      expect(page.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
      expect(page.text).toContain(`action="/purchase/${eventId}"`);
    });

    it('gives every form load a new idempotency key', async () => {
      const browser = testApp.browser();
      const keys = new Set<string>();
      for (let i = 0; i < 3; i++) keys.add((await openForm(browser)).idempotencyKey);
      expect(keys.size).toBe(3);
    });

    it('answers 404 for a draft event', async () => {
      const draftId = await createEvent(
        testApp,
        organiser,
        { title: 'Still a draft' },
        { publish: false },
      );
      expect((await testApp.browser().get(`/buy-tickets/${draftId}`)).status).toBe(404);
    });

    it.each(['987654321', 'abc', '0', '-1', '1.5'])(
      'answers 404 for the unknown event id %s',
      async (id) => {
        expect((await testApp.browser().get(`/buy-tickets/${id}`)).status).toBe(404);
      },
    );
  });

  describe('a successful purchase', () => {
    it('books two ticket types in one order and redirects (303) to the success page with the reference', async () => {
      const res = await buy(testApp.browser(), eventId, {
        [`quantities[${fullId}]`]: 2,
        [`quantities[${concessionId}]`]: 3,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/purchase\/success\?ref=[0-9A-Z]{10}$/);
    });

    it('stores the booking with one item per ticket type and the total of quantity × unit price', async () => {
      const res = await buy(testApp.browser(), eventId, {
        [`quantities[${fullId}]`]: 2,
        [`quantities[${concessionId}]`]: 3,
        attendeeName: 'Bea Buyer',
        attendeeEmail: 'bea@example.com',
      });
      const reference = referenceFrom(res.headers.location);
      const [booking] = await testApp.sql<
        {
          id: number;
          event_id: number;
          total_cents: number;
          status: string;
          attendee_name: string;
          attendee_email: string;
        }[]
      >(
        'SELECT id, event_id, total_cents, status, attendee_name, attendee_email FROM bookings WHERE reference = ?',
        [reference],
      );
      expect(booking).toMatchObject({
        event_id: eventId,
        total_cents: 2 * 2500 + 3 * 1250,
        status: 'confirmed',
        attendee_name: 'Bea Buyer',
        attendee_email: 'bea@example.com',
      });
      const items = await testApp.sql<
        { ticket_type_id: number; quantity: number; unit_price_cents: number }[]
      >(
        'SELECT ticket_type_id, quantity, unit_price_cents FROM booking_items WHERE booking_id = ? ORDER BY ticket_type_id',
        [booking.id],
      );
      expect(items).toEqual([
        { ticket_type_id: fullId, quantity: 2, unit_price_cents: 2500 },
        { ticket_type_id: concessionId, quantity: 3, unit_price_cents: 1250 },
      ]);
    });

    it('adds the quantities to both ticket types’ sold counts', async () => {
      const before = await soldOf(eventId);
      await buy(testApp.browser(), eventId, {
        [`quantities[${fullId}]`]: 2,
        [`quantities[${concessionId}]`]: 3,
      });
      expect(await soldOf(eventId)).toEqual([before[0] + 2, before[1] + 3]);
    });

    it('ignores ticket types left at 0 in the order', async () => {
      const res = await buy(testApp.browser(), eventId, {
        [`quantities[${fullId}]`]: 1,
        [`quantities[${concessionId}]`]: 0,
      });
      const reference = referenceFrom(res.headers.location);
      const items = await testApp.sql<{ ticket_type_id: number }[]>(
        'SELECT ticket_type_id FROM booking_items JOIN bookings ON bookings.id = booking_id WHERE reference = ?',
        [reference],
      );
      expect(items).toEqual([{ ticket_type_id: fullId }]);
    });

    it('shows the reference, the items and the total on the success page', async () => {
      const browser = testApp.browser();
      const res = await buy(browser, eventId, {
        [`quantities[${fullId}]`]: 2,
        [`quantities[${concessionId}]`]: 1,
      });
      const reference = referenceFrom(res.headers.location);
      const page = await browser.get(res.headers.location);
      expect(page.status).toBe(200);
      expect(page.text).toContain(reference);
      expect(page.text).toContain('Full price');
      expect(page.text).toContain('Concession');
      expect(page.text).toContain('62.50');
    });
  });

  describe('a form with invalid input', () => {
    interface BadCase {
      name: string;
      /** The posted pairs besides _csrf; the defaults are a valid order. */
      pairs: (ids: { full: number; concession: number; other: number }) => Pairs;
      field: string;
      message: RegExp;
    }
    const name = 'Kept Name';
    const email = 'kept@example.com';
    const person: Pairs = [
      ['attendeeName', name],
      ['attendeeEmail', email],
    ];
    const qty = (id: number, quantity: string): [string, string] => [`quantities[${id}]`, quantity];
    const CHOOSE = /Choose how many tickets you want/;

    const cases: BadCase[] = [
      {
        name: 'every quantity 0',
        pairs: ({ full, concession }) => [qty(full, '0'), qty(concession, '0'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'no quantities at all',
        pairs: () => [...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a negative quantity',
        pairs: ({ full }) => [qty(full, '-1'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a negative quantity beside a valid one',
        pairs: ({ full, concession }) => [qty(full, '2'), qty(concession, '-2'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a non-numeric quantity',
        pairs: ({ full }) => [qty(full, 'two'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a fractional quantity',
        pairs: ({ full }) => [qty(full, '1.5'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'an empty quantity',
        pairs: ({ full }) => [qty(full, ''), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a quantity over the per-event maximum of 10',
        pairs: ({ full }) => [qty(full, '11'), ...person],
        field: 'quantities',
        message: /1 to 10 tickets/,
      },
      {
        name: 'a huge quantity',
        pairs: ({ full }) => [qty(full, '99999999999999999999'), ...person],
        field: 'quantities',
        message: /1 to 10 tickets|whole numbers/,
      },
      {
        name: 'a quantity given twice for one ticket type',
        pairs: ({ full }) => [qty(full, '1'), qty(full, '1'), ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a non-numeric ticket type id (quantities[abc])',
        pairs: () => [['quantities[abc]', '1'], ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'quantities as a plain value instead of one per ticket type',
        pairs: () => [['quantities', '3'], ...person],
        field: 'quantities',
        message: CHOOSE,
      },
      {
        name: 'a ticket type of another event',
        pairs: ({ other }) => [qty(other, '1'), ...person],
        field: 'quantities',
        message: /not part of this event/,
      },
      {
        name: 'a ticket type of another event beside a valid one',
        pairs: ({ full, other }) => [qty(full, '1'), qty(other, '1'), ...person],
        field: 'quantities',
        message: /not part of this event/,
      },
      {
        name: 'a ticket type id that does not exist',
        pairs: () => [qty(987654321, '1'), ...person],
        field: 'quantities',
        message: /not part of this event/,
      },
      {
        name: 'an empty attendee name',
        pairs: ({ full }) => [qty(full, '1'), ['attendeeName', ''], ['attendeeEmail', email]],
        field: 'attendeeName',
        message: /Name must be 1 to 100 characters/,
      },
      {
        name: 'an attendee name of only spaces',
        pairs: ({ full }) => [qty(full, '1'), ['attendeeName', '   '], ['attendeeEmail', email]],
        field: 'attendeeName',
        message: /Name must be 1 to 100 characters/,
      },
      {
        name: 'a missing attendee name',
        pairs: ({ full }) => [qty(full, '1'), ['attendeeEmail', email]],
        field: 'attendeeName',
        message: /^Enter your name$/,
      },
      {
        name: 'an attendee name of 101 characters',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', 'n'.repeat(101)],
          ['attendeeEmail', email],
        ],
        field: 'attendeeName',
        message: /Name must be 1 to 100 characters/,
      },
      {
        name: 'an attendee name with a NUL byte',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', 'Ada\u0000Lovelace'],
          ['attendeeEmail', email],
        ],
        field: 'attendeeName',
        message: /control characters/,
      },
      {
        name: 'an attendee name with another control character',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', 'Ada\u001bLovelace'],
          ['attendeeEmail', email],
        ],
        field: 'attendeeName',
        message: /control characters/,
      },
      {
        name: 'an attendee name given twice (an array)',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', 'Ada'],
          ['attendeeName', 'Bob'],
          ['attendeeEmail', email],
        ],
        field: 'attendeeName',
        message: /^Enter your name$/,
      },
      {
        name: 'an attendee name given as an object',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName[first]', 'Ada'],
          ['attendeeEmail', email],
        ],
        field: 'attendeeName',
        message: /^Enter your name$/,
      },
      {
        name: 'an empty email',
        pairs: ({ full }) => [qty(full, '1'), ['attendeeName', name], ['attendeeEmail', '']],
        field: 'attendeeEmail',
        message: /valid email/,
      },
      {
        name: 'a missing email',
        pairs: ({ full }) => [qty(full, '1'), ['attendeeName', name]],
        field: 'attendeeEmail',
        message: /^Enter your email address$/,
      },
      {
        name: 'an invalid email',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', name],
          ['attendeeEmail', 'not-an-email'],
        ],
        field: 'attendeeEmail',
        message: /valid email/,
      },
      {
        name: 'an email with two @',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', name],
          ['attendeeEmail', 'a@b@example.com'],
        ],
        field: 'attendeeEmail',
        message: /valid email/,
      },
      {
        name: 'an email of 259 characters',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', name],
          ['attendeeEmail', `${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(3)}example.com`],
        ],
        field: 'attendeeEmail',
        message: /at most 254 characters/,
      },
      {
        name: 'an email given twice (an array)',
        pairs: ({ full }) => [
          qty(full, '1'),
          ['attendeeName', name],
          ['attendeeEmail', 'a@example.com'],
          ['attendeeEmail', 'b@example.com'],
        ],
        field: 'attendeeEmail',
        message: /^Enter your email address$/,
      },
      {
        name: 'a too short idempotency key',
        pairs: ({ full }) => [qty(full, '1'), ...person, ['idempotencyKey', 'short']],
        field: 'idempotencyKey',
        message: /reload the page/,
      },
      {
        name: 'an idempotency key with characters outside [A-Za-z0-9_-]',
        pairs: ({ full }) => [qty(full, '1'), ...person, ['idempotencyKey', 'abc def <script>']],
        field: 'idempotencyKey',
        message: /reload the page/,
      },
      {
        name: 'an idempotency key of 101 characters',
        pairs: ({ full }) => [qty(full, '1'), ...person, ['idempotencyKey', 'k'.repeat(101)]],
        field: 'idempotencyKey',
        message: /reload the page/,
      },
      {
        name: 'an empty idempotency key',
        pairs: ({ full }) => [qty(full, '1'), ...person, ['idempotencyKey', '']],
        field: 'idempotencyKey',
        message: /reload the page/,
      },
      {
        name: 'an idempotency key given twice (an array)',
        pairs: ({ full }) => [
          qty(full, '1'),
          ...person,
          ['idempotencyKey', 'aaaaaaaaaaaa'],
          ['idempotencyKey', 'bbbbbbbbbbbb'],
        ],
        field: 'idempotencyKey',
        message: /reload the page/,
      },
    ];

    /** Posts the bad form and checks everything a refusal promises; returns the page for further checks. */
    async function postBad(bad: BadCase) {
      const browser = testApp.browser();
      const { csrf } = await openForm(browser);
      const soldBefore = [...(await soldOf(eventId)), ...(await soldOf(otherEventId))];
      const bookingsBefore = await bookingCount();
      const res = await postPairs(browser, `/purchase/${eventId}`, [
        ['_csrf', csrf],
        ...bad.pairs({ full: fullId, concession: concessionId, other: otherEventTypeId }),
      ]);
      return { res, soldBefore, bookingsBefore };
    }

    it.each(cases.map((bad) => [bad.name, bad] as const))(
      'refuses %s with 422, the form again and a message at the field',
      async (_name, bad) => {
        const { res } = await postBad(bad);
        expect(res.status).toBe(422);
        expect(res.text).toContain(`action="/purchase/${eventId}"`);
        const fieldError = new RegExp(`id="${bad.field}-error">([^<]*)<`).exec(res.text);
        expect(fieldError?.[1]).toMatch(bad.message);
      },
    );

    it.each(cases.map((bad) => [bad.name, bad] as const))(
      'books nothing and sells nothing when refusing %s',
      async (_name, bad) => {
        const { res, soldBefore, bookingsBefore } = await postBad(bad);
        expect(res.status).toBe(422);
        expect(await bookingCount()).toBe(bookingsBefore);
        expect([...(await soldOf(eventId)), ...(await soldOf(otherEventId))]).toEqual(soldBefore);
      },
    );

    it('keeps the attendee’s name and email in the re-rendered form', async () => {
      const browser = testApp.browser();
      const { csrf } = await openForm(browser);
      const res = await postPairs(browser, `/purchase/${eventId}`, [
        ['_csrf', csrf],
        qty(fullId, '0'),
        ['attendeeName', 'Zoë <b>Keeper</b>'],
        ['attendeeEmail', 'zoe.keeper@example.com'],
      ]);
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="Zoë &lt;b&gt;Keeper&lt;/b&gt;"');
      expect(res.text).toContain('value="zoe.keeper@example.com"');
    });

    it('keeps the chosen quantities in the re-rendered form', async () => {
      const browser = testApp.browser();
      const { csrf } = await openForm(browser);
      const res = await postPairs(browser, `/purchase/${eventId}`, [
        ['_csrf', csrf],
        qty(fullId, '3'),
        qty(concessionId, '2'),
        ['attendeeName', 'Quinn'],
        ['attendeeEmail', 'not-an-email'],
      ]);
      expect(res.status).toBe(422);
      const selected = (id: number) =>
        new RegExp(
          `name="quantities\\[${id}\\]"[^>]*>[\\s\\S]*?<option value="(\\d+)" selected`,
        ).exec(res.text)?.[1];
      expect(selected(fullId)).toBe('3');
      expect(selected(concessionId)).toBe('2');
    });

    it('keeps the form’s idempotency key in the re-rendered form, so fixing and resubmitting still books once', async () => {
      const browser = testApp.browser();
      const { csrf, idempotencyKey } = await openForm(browser);
      const refused = await postPairs(browser, `/purchase/${eventId}`, [
        ['_csrf', csrf],
        ['idempotencyKey', idempotencyKey],
        qty(fullId, '1'),
        ['attendeeName', ''],
        ['attendeeEmail', email],
      ]);
      expect(refused.status).toBe(422);
      expect(hiddenField(refused.text, 'idempotencyKey')).toBe(idempotencyKey);
    });

    it('keeps a value with an HTML-special character escaped in the re-rendered form', async () => {
      const browser = testApp.browser();
      const { csrf } = await openForm(browser);
      const res = await postPairs(browser, `/purchase/${eventId}`, [
        ['_csrf', csrf],
        qty(fullId, '1'),
        ['attendeeName', name],
        ['attendeeEmail', '"><script>alert(1)</script>'],
      ]);
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('<script>alert(1)</script>');
    });
  });

  describe('refusals that are not the buyer’s input', () => {
    it('refuses a purchase without the session’s CSRF token with 403 and books nothing', async () => {
      const browser = testApp.browser();
      const { idempotencyKey } = await openForm(browser);
      const before = await bookingCount();
      const res = await browser.post(`/purchase/${eventId}`, {
        [`quantities[${fullId}]`]: 1,
        attendeeName: 'No Token',
        attendeeEmail: 'no-token@example.com',
        idempotencyKey,
      });
      expect(res.status).toBe(403);
      expect(await bookingCount()).toBe(before);
    });

    it('refuses a purchase for a draft event with 404 and sells nothing', async () => {
      const draftId = await createEvent(
        testApp,
        organiser,
        { title: 'Draft sale' },
        { publish: false },
      );
      const [draftType] = await ticketTypesOf(testApp, draftId);
      const browser = testApp.browser();
      const _csrf = await browser.csrfToken(`/buy-tickets/${eventId}`);
      const res = await browser.post(`/purchase/${draftId}`, {
        _csrf,
        [`quantities[${draftType.id}]`]: 1,
        attendeeName: 'Early Bird',
        attendeeEmail: 'early@example.com',
      });
      expect(res.status).toBe(404);
      expect(await soldOf(draftId)).toEqual([0, 0]);
    });

    it.each(['987654321', 'abc'])(
      'refuses a purchase for the unknown event id %s with 404',
      async (id) => {
        const browser = testApp.browser();
        const _csrf = await browser.csrfToken(`/buy-tickets/${eventId}`);
        const before = await bookingCount();
        const res = await browser.post(`/purchase/${id}`, {
          _csrf,
          [`quantities[${fullId}]`]: 1,
          attendeeName: 'Lost',
          attendeeEmail: 'lost@example.com',
        });
        expect(res.status).toBe(404);
        expect(await bookingCount()).toBe(before);
      },
    );
  });

  describe('sold out', () => {
    /** Small event: A has 3, B has 2. */
    let smallId: number;
    let typeA: number;
    let typeB: number;

    beforeEach(async () => {
      smallId = await createEvent(testApp, organiser, {
        title: 'Tiny club',
        'ticketTypes[0][name]': 'Standing',
        'ticketTypes[0][capacity]': '3',
        'ticketTypes[1][name]': 'Seated',
        'ticketTypes[1][capacity]': '2',
      });
      [{ id: typeA }, { id: typeB }] = await ticketTypesOf(testApp, smallId);
    });

    it('redirects (303) to /purchase/fail?reason=sold_out&event=<id> when asking for more than are left', async () => {
      await buy(testApp.browser(), smallId, { [`quantities[${typeA}]`]: 2 });
      const res = await buy(testApp.browser(), smallId, { [`quantities[${typeA}]`]: 2 });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/purchase/fail?reason=sold_out&event=${smallId}`);
    });

    it('books nothing and leaves sold unchanged when asking for more than are left', async () => {
      await buy(testApp.browser(), smallId, { [`quantities[${typeA}]`]: 2 });
      const before = await bookingCount();
      await buy(testApp.browser(), smallId, { [`quantities[${typeA}]`]: 2 });
      expect(await bookingCount()).toBe(before);
      expect(await soldOf(smallId)).toEqual([2, 0]);
    });

    it('says on the fail page how many tickets of each type are left', async () => {
      const browser = testApp.browser();
      await buy(browser, smallId, { [`quantities[${typeA}]`]: 2, [`quantities[${typeB}]`]: 2 });
      const page = await browser.get(`/purchase/fail?reason=sold_out&event=${smallId}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/not enough tickets left/);
      expect(page.text).toMatch(/<td>Standing<\/td><td class="num">1<\/td>/);
      expect(page.text).toMatch(/<td>Seated<\/td><td class="num">.*Sold out.*<\/td>/);
    });

    it('links from the fail page back to the event and its buy form', async () => {
      const page = await testApp.browser().get(`/purchase/fail?reason=sold_out&event=${smallId}`);
      expect(page.text).toContain(`href="/buy-tickets/${smallId}"`);
      expect(page.text).toContain(`href="/event/${smallId}"`);
    });

    it('books nothing of an order whose second ticket type is short, not even the first type', async () => {
      await buy(testApp.browser(), smallId, { [`quantities[${typeB}]`]: 2 });
      const before = await bookingCount();
      const res = await buy(testApp.browser(), smallId, {
        [`quantities[${typeA}]`]: 1,
        [`quantities[${typeB}]`]: 1,
      });
      expect(res.headers.location).toBe(`/purchase/fail?reason=sold_out&event=${smallId}`);
      expect(await soldOf(smallId)).toEqual([0, 2]);
      expect(await bookingCount()).toBe(before);
    });

    it('sells the last ticket and then refuses the next buyer', async () => {
      const first = await buy(testApp.browser(), smallId, { [`quantities[${typeB}]`]: 2 });
      const second = await buy(testApp.browser(), smallId, { [`quantities[${typeB}]`]: 1 });
      expect(first.headers.location).toMatch(/^\/purchase\/success/);
      expect(second.headers.location).toBe(`/purchase/fail?reason=sold_out&event=${smallId}`);
      expect(await soldOf(smallId)).toEqual([0, 2]);
    });
  });

  describe('sales closed', () => {
    it('redirects (303) to /purchase/fail?reason=sales_closed once the event has started, and books nothing', async () => {
      const startedId = await createEvent(testApp, organiser, { title: 'Already on' });
      const [type] = await ticketTypesOf(testApp, startedId);
      const browser = testApp.browser();
      const form = await openForm(browser, startedId);
      const started = sqliteDateTime(new Date(Date.now() - 60_000));
      await writeSql(testApp, 'UPDATE events SET starts_at = ? WHERE id = ?', [started, startedId]);
      await writeSql(testApp, 'UPDATE event_dates SET starts_at = ? WHERE event_id = ?', [
        started,
        startedId,
      ]);
      const before = await bookingCount();
      const res = await browser.post(`/purchase/${startedId}`, {
        _csrf: form.csrf,
        idempotencyKey: form.idempotencyKey,
        [`quantities[${type.id}]`]: 1,
        attendeeName: 'Late Larry',
        attendeeEmail: 'late@example.com',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/purchase/fail?reason=sales_closed&event=${startedId}`);
      expect(await bookingCount()).toBe(before);
      expect(await soldOf(startedId)).toEqual([0, 0]);
    });

    it('says on the fail page that sales have closed', async () => {
      const page = await testApp
        .browser()
        .get(`/purchase/fail?reason=sales_closed&event=${eventId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Sales for this event have closed');
    });

    it('shows a generic message on the fail page for an unknown reason, without echoing it', async () => {
      const page = await testApp
        .browser()
        .get('/purchase/fail?reason=%3Cscript%3Ex%3C%2Fscript%3E&event=abc');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Your order could not be completed');
      expect(page.text).not.toContain('<script>x</script>');
    });
  });

  describe('the success page (GET /purchase/success)', () => {
    const secretName = 'Zebulon Quackenbush';
    const secretEmail = 'zq-private@example.com';
    let booker: Browser;
    let location: string;
    let reference: string;
    let secret: string;

    beforeAll(async () => {
      booker = testApp.browser();
      const res = await buy(booker, eventId, {
        [`quantities[${fullId}]`]: 1,
        attendeeName: secretName,
        attendeeEmail: secretEmail,
      });
      location = res.headers.location;
      reference = referenceFrom(location);
      [{ secret }] = await testApp.sql<{ secret: string }[]>(
        'SELECT secret FROM bookings WHERE reference = ?',
        [reference],
      );
    });

    it('shows the booking to the browser session that made it', async () => {
      const page = await booker.get(location);
      expect(page.status).toBe(200);
      expect(page.text).toContain(reference);
      expect(page.text).toContain(secretName);
      expect(page.text).toContain(secretEmail);
    });

    it('answers 404 to another browser, showing neither the attendee’s name nor email', async () => {
      const page = await testApp.browser().get(location);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain(secretName);
      expect(page.text).not.toContain(secretEmail);
    });

    it('shows the booking to any browser given the right secret', async () => {
      const page = await testApp.browser().get(`${location}&secret=${encodeURIComponent(secret)}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(secretName);
    });

    it('answers 404 to a browser with a wrong secret, showing no attendee data', async () => {
      const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
      const page = await testApp.browser().get(`${location}&secret=${encodeURIComponent(wrong)}`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain(secretName);
      expect(page.text).not.toContain(secretEmail);
    });

    it('answers 404 to a browser that made a different booking', async () => {
      const other = testApp.browser();
      await buy(other, eventId, { [`quantities[${fullId}]`]: 1 });
      const page = await other.get(location);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain(secretName);
    });

    it.each(['', '?ref=', '?ref=ZZZZZZZZZZ', '?ref=lowercase'])(
      'answers 404 for the unknown reference "%s"',
      async (query) => {
        expect((await booker.get(`/purchase/success${query}`)).status).toBe(404);
      },
    );

    it('gives the booker a link that opens the booking from any browser', async () => {
      const page = await booker.get(location);
      const link = /href="(\/booking\/[0-9A-Z]{10}\?secret=[^"]+)"/
        .exec(page.text)?.[1]
        .replace(/&amp;/g, '&');
      expect(link).toBeDefined();
      const elsewhere = await testApp.browser().get(link!);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.text).toContain(reference);
    });
  });

  describe('a resubmitted form (same idempotencyKey)', () => {
    /** The bookings of one attendee (each test here books under an email of its own). */
    const countFor = async (attendeeEmail: string) =>
      Number(
        (
          await testApp.sql<{ n: number }[]>(
            'SELECT COUNT(*) AS n FROM bookings WHERE attendee_email = ?',
            [attendeeEmail],
          )
        )[0].n,
      );

    it('books once when posted twice, one after the other, and redirects both to the same reference', async () => {
      const browser = testApp.browser();
      const { csrf, idempotencyKey } = await openForm(browser);
      const fields = {
        _csrf: csrf,
        idempotencyKey,
        [`quantities[${fullId}]`]: 2,
        attendeeName: 'Double Clicker',
        attendeeEmail: 'double@example.com',
      };
      const soldBefore = await soldOf(eventId);
      const first = await browser.post(`/purchase/${eventId}`, fields);
      const second = await browser.post(`/purchase/${eventId}`, fields);
      expect(first.status).toBe(303);
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await countFor('double@example.com')).toBe(1);
      expect(await soldOf(eventId)).toEqual([soldBefore[0] + 2, soldBefore[1]]);
    });

    it('books once when posted twice at the same moment, and redirects both to the same reference', async () => {
      const browser = testApp.browser();
      const { csrf, idempotencyKey } = await openForm(browser);
      const fields = {
        _csrf: csrf,
        idempotencyKey,
        [`quantities[${concessionId}]`]: 1,
        attendeeName: 'Twin Tap',
        attendeeEmail: 'twin@example.com',
      };
      const soldBefore = await soldOf(eventId);
      const [first, second] = await Promise.all([
        browser.post(`/purchase/${eventId}`, fields),
        browser.post(`/purchase/${eventId}`, fields),
      ]);
      expect([first.status, second.status]).toEqual([303, 303]);
      expect(first.headers.location).toMatch(/^\/purchase\/success\?ref=[0-9A-Z]{10}$/);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await countFor('twin@example.com')).toBe(1);
      expect(await soldOf(eventId)).toEqual([soldBefore[0], soldBefore[1] + 1]);
    });

    it('lets the resubmitting browser see the booking on the success page', async () => {
      const browser = testApp.browser();
      const { csrf, idempotencyKey } = await openForm(browser);
      const fields = {
        _csrf: csrf,
        idempotencyKey,
        [`quantities[${fullId}]`]: 1,
        attendeeName: 'Back Button',
        attendeeEmail: 'back@example.com',
      };
      await browser.post(`/purchase/${eventId}`, fields);
      const again = await browser.post(`/purchase/${eventId}`, fields);
      expect((await browser.get(again.headers.location)).status).toBe(200);
    });
  });
});
