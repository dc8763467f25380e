import {
  Browser,
  createEvent,
  eventFields,
  futureDateTime,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';

/** Form fields where `undefined` means "not posted at all". */
type PostedFields = Record<string, string | undefined>;

const HANDLEBARS_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#x60;': '`',
  '&#x3D;': '=',
};
const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#x27|#x60|#x3D);/g, (entity) => HANDLEBARS_ENTITIES[entity]);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value a form control shows, as a browser would read it (undefined when there is no such control). */
function shownValue(html: string, name: string): string | undefined {
  if (name === 'description') {
    const textarea = /<textarea[^>]*name="description"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
    return textarea ? unescapeHtml(textarea[1]) : undefined;
  }
  const input = new RegExp(`<input[^>]*name="${escapeRegExp(name)}"[^>]*value="([^"]*)"`).exec(
    html,
  );
  return input ? unescapeHtml(input[1]) : undefined;
}

/** The message shown at a field (`title`, `tt-0-price`, `ticketTypes`…). */
function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(
    `<p class="field-error" id="${escapeRegExp(id)}-error">([^<]*)</p>`,
  ).exec(html);
  return match ? unescapeHtml(match[1]) : undefined;
}

/** Every control of the page's event form with its value: what a browser submits unchanged. */
function formControls(html: string): Record<string, string> {
  const form = /<form method="post" action="\/(?:create|edit)-event[^"]*"[\s\S]*?<\/form>/.exec(
    html,
  )![0];
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    if (match[1] !== '_csrf') fields[match[1]] = unescapeHtml(match[2]);
  }
  fields.description = shownValue(form, 'description') ?? '';
  return fields;
}

const baseFields = (): PostedFields => ({
  ...Object.fromEntries(Object.entries(eventFields()).map(([key, value]) => [key, String(value)])),
  maxTicketsPerType: '10',
});

function withChanges(fields: PostedFields, changes: PostedFields): Record<string, string> {
  const merged: PostedFields = { ...fields, ...changes };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

describe('organisers managing events', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let organiserId: number;
  let otherOrganiser: Browser;

  beforeAll(async () => {
    testApp = await startTestApp();
    await register(testApp.browser(), undefined, 'First Admin'); // the first account becomes admin
    organiser = testApp.browser();
    const email = await register(organiser);
    [{ id: organiserId }] = await testApp.sql<{ id: number }[]>(
      'SELECT id FROM users WHERE email = ?',
      [email],
    );
    otherOrganiser = testApp.browser();
    await register(otherOrganiser, undefined, 'Otto Other');
  });
  afterAll(() => testApp.close());

  const submit = (path: string, fields: Record<string, string>, browser = organiser) =>
    browser.submit(path, fields, '/create-event');

  async function rowCounts() {
    const [{ events }] = await testApp.sql<{ events: number }[]>(
      'SELECT COUNT(*) AS events FROM events',
    );
    const [{ ticketTypes }] = await testApp.sql<{ ticketTypes: number }[]>(
      'SELECT COUNT(*) AS ticketTypes FROM ticket_types',
    );
    return { events: Number(events), ticketTypes: Number(ticketTypes) };
  }

  async function eventRow(id: number) {
    const rows = await testApp.sql<
      {
        id: number;
        organiser_id: number;
        title: string;
        description: string;
        venue: string;
        status: string;
        published_at: string | null;
        max_tickets_per_type: number;
        hold_minutes: number;
      }[]
    >('SELECT * FROM events WHERE id = ?', [id]);
    return rows[0];
  }

  async function lastEventId(): Promise<number> {
    const [{ id }] = await testApp.sql<{ id: number }[]>('SELECT MAX(id) AS id FROM events');
    return Number(id);
  }

  /** Books tickets through the attendee's purchase form, like a real buyer. */
  async function buy(eventId: number, ticketTypeId: number, quantity: number) {
    const attendee = testApp.browser();
    const form = await attendee.get(`/buy-tickets/${eventId}`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1];
    const res = await attendee.submit(
      `/purchase/${eventId}`,
      {
        [`quantities[${ticketTypeId}]`]: quantity,
        attendeeName: 'Ada Attendee',
        attendeeEmail: 'ada@example.com',
        idempotencyKey: key,
      },
      `/buy-tickets/${eventId}`,
    );
    if (res.status !== 303 || !res.headers.location.startsWith('/purchase/success')) {
      throw new Error(`purchase failed: ${res.status} ${res.headers.location}`);
    }
  }

  /** The prefilled edit form, as the browser would submit it, with some fields changed. */
  async function editFormFields(eventId: number, changes: PostedFields = {}) {
    const page = await organiser.get(`/edit-event/${eventId}`);
    expect(page.status).toBe(200);
    return withChanges(formControls(page.text), changes);
  }

  function dashboardSection(html: string, eventId: number): string {
    const section = html
      .split('<section class="card dashboard-event">')
      .find((part) => part.includes(`href="/edit-event/${eventId}"`));
    if (!section) throw new Error(`event ${eventId} is not on the dashboard`);
    return section;
  }

  describe('the create form', () => {
    it('offers a "Full price" and a "Concession" row to start with', async () => {
      const res = await organiser.get('/create-event');
      expect(res.status).toBe(200);
      expect(shownValue(res.text, 'ticketTypes[0][name]')).toBe('Full price');
      expect(shownValue(res.text, 'ticketTypes[1][name]')).toBe('Concession');
    });

    it('offers a spare empty ticket-type row and 10 tickets per type per order by default', async () => {
      const res = await organiser.get('/create-event');
      expect(shownValue(res.text, 'ticketTypes[2][name]')).toBe('');
      expect(shownValue(res.text, 'maxTicketsPerType')).toBe('10');
      expect(shownValue(res.text, 'holdMinutes')).toBe('15');
    });
  });

  describe('creating an event', () => {
    it('redirects to the dashboard with 303', async () => {
      const res = await submit('/create-event', withChanges(baseFields(), {}));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
    });

    it('stores the event as a draft of the organiser, not yet published', async () => {
      await submit(
        '/create-event',
        withChanges(baseFields(), {
          title: 'Draft Gala',
          venue: 'Hall 2',
          description: 'Black tie',
        }),
      );
      const event = await eventRow(await lastEventId());
      expect(event).toMatchObject({
        title: 'Draft Gala',
        venue: 'Hall 2',
        description: 'Black tie',
        status: 'draft',
        published_at: null,
        organiser_id: organiserId,
        max_tickets_per_type: 10,
      });
    });

    it('stores its ticket types in order with prices in cents', async () => {
      await submit('/create-event', withChanges(baseFields(), {}));
      const rows = await testApp.sql<
        { name: string; price_cents: number; capacity: number; sold: number; sort_order: number }[]
      >(
        'SELECT name, price_cents, capacity, sold, sort_order FROM ticket_types WHERE event_id = ? ORDER BY id',
        [await lastEventId()],
      );
      expect(rows).toEqual([
        { name: 'Full price', price_cents: 2500, capacity: 100, sold: 0, sort_order: 0 },
        { name: 'Concession', price_cents: 1250, capacity: 50, sold: 0, sort_order: 1 },
      ]);
    });

    it('reads prices with one or no decimals as well ("7" → 700, "7.5" → 750)', async () => {
      await submit(
        '/create-event',
        withChanges(baseFields(), { 'ticketTypes[0][price]': '7', 'ticketTypes[1][price]': '7.5' }),
      );
      const types = await ticketTypesOf(testApp, await lastEventId());
      expect(types.map((type) => type.price_cents)).toEqual([700, 750]);
    });

    it('accepts every value at its limit: 200-char title, 5000-char description, 200-char venue, 60-char name, free and 100000.00 prices, capacities 1 and 100000', async () => {
      const res = await submit(
        '/create-event',
        withChanges(baseFields(), {
          title: 'T'.repeat(200),
          description: 'D'.repeat(5000),
          venue: 'V'.repeat(200),
          maxTicketsPerType: '100',
          holdMinutes: '120',
          'ticketTypes[0][name]': 'N'.repeat(60),
          'ticketTypes[0][price]': '0.00',
          'ticketTypes[0][capacity]': '1',
          'ticketTypes[1][price]': '100000.00',
          'ticketTypes[1][capacity]': '100000',
        }),
      );
      expect(res.status).toBe(303);
      const id = await lastEventId();
      expect((await eventRow(id)).title).toHaveLength(200);
      expect((await eventRow(id)).hold_minutes).toBe(120);
      const types = await ticketTypesOf(testApp, id);
      expect(types.map((type) => [type.name.length, type.price_cents, type.capacity])).toEqual([
        [60, 0, 1],
        [10, 100_000_00, 100_000],
      ]);
    });

    it('accepts an event without description and venue', async () => {
      const res = await submit(
        '/create-event',
        withChanges(baseFields(), { title: 'Bare event', description: undefined, venue: '' }),
      );
      expect(res.status).toBe(303);
      expect(await eventRow(await lastEventId())).toMatchObject({
        title: 'Bare event',
        description: '',
        venue: '',
      });
    });

    it('keeps newlines and tabs in the description', async () => {
      await submit(
        '/create-event',
        withChanges(baseFields(), { description: 'Line one\r\nLine\ttwo' }),
      );
      expect((await eventRow(await lastEventId())).description).toBe('Line one\nLine\ttwo');
    });

    it('ignores an entirely empty extra ticket-type row', async () => {
      const res = await submit(
        '/create-event',
        withChanges(baseFields(), {
          'ticketTypes[2][name]': '',
          'ticketTypes[2][price]': '',
          'ticketTypes[2][capacity]': '',
          'ticketTypes[3][name]': '  ',
        }),
      );
      expect(res.status).toBe(303);
      const types = await ticketTypesOf(testApp, await lastEventId());
      expect(types.map((type) => type.name)).toEqual(['Full price', 'Concession']);
    });

    it('numbers the sort order of the rows it keeps without gaps', async () => {
      await submit(
        '/create-event',
        withChanges(baseFields(), {
          'ticketTypes[0][name]': '',
          'ticketTypes[0][price]': '',
          'ticketTypes[0][capacity]': '',
          'ticketTypes[5][name]': 'Late row',
          'ticketTypes[5][price]': '5.00',
          'ticketTypes[5][capacity]': '5',
        }),
      );
      const rows = await testApp.sql<{ name: string; sort_order: number }[]>(
        'SELECT name, sort_order FROM ticket_types WHERE event_id = ? ORDER BY sort_order',
        [await lastEventId()],
      );
      expect(rows).toEqual([
        { name: 'Concession', sort_order: 0 },
        { name: 'Late row', sort_order: 1 },
      ]);
    });

    it('lists the new event on the dashboard with a link to its edit page', async () => {
      await submit('/create-event', withChanges(baseFields(), { title: 'Listed Lecture' }));
      const id = await lastEventId();
      const dashboard = await organiser.get('/organiser');
      expect(dashboard.status).toBe(200);
      const section = dashboardSection(dashboard.text, id);
      expect(section).toContain('Listed Lecture');
      expect(section).toContain('draft');
    });

    it('shows sold / capacity per ticket type on the dashboard', async () => {
      const id = await createEvent(testApp, organiser, { title: 'Counted Concert' });
      const [fullPrice] = await ticketTypesOf(testApp, id);
      await buy(id, fullPrice.id, 3);
      const section = dashboardSection((await organiser.get('/organiser')).text, id);
      expect(section).toContain('3 / 100');
      expect(section).toContain('0 / 50');
      expect(section).toContain('3 / 150 sold');
    });
  });

  describe('refusing invalid input when creating', () => {
    const NUL = '\u0000';
    const REFUSED_TEXT = 'Contains characters that are not allowed (control characters)';
    const BAD_DATE = 'Enter the date and time as YYYY-MM-DDTHH:mm';
    const BAD_MAX = 'Must be a whole number from 1 to 100';
    const BAD_HOLD = 'Must be a whole number of minutes from 1 to 120';
    const BAD_PRICE = 'Price must be from 0.00 to 100000.00, like 12.50';
    const BAD_CAPACITY = 'Capacity must be a whole number from 1 to 100000';
    const nextYear = new Date().getFullYear() + 1;

    /** [what, the posted changes, the field that gets the message, the message] */
    const cases: [string, PostedFields, string, string][] = [
      ['an empty title', { title: '' }, 'title', 'Title must be 1 to 200 characters'],
      ['a blank title', { title: '   ' }, 'title', 'Title must be 1 to 200 characters'],
      ['a missing title', { title: undefined }, 'title', 'Enter a title'],
      [
        'a 201-character title',
        { title: 'x'.repeat(201) },
        'title',
        'Title must be 1 to 200 characters',
      ],
      ['a title sent as an array', { title: undefined, 'title[0]': 'x' }, 'title', 'Enter a title'],
      ['a title with a NUL byte', { title: `Jazz${NUL}Night` }, 'title', REFUSED_TEXT],
      ['a title with an escape character', { title: 'Jazz\u001bNight' }, 'title', REFUSED_TEXT],
      [
        'a 5001-character description',
        { description: 'x'.repeat(5001) },
        'description',
        'Description must be at most 5000 characters',
      ],
      [
        'a description sent as an array',
        { description: undefined, 'description[0]': 'x' },
        'description',
        'Description must be text',
      ],
      [
        'a description with a NUL byte',
        { description: `An${NUL}evening` },
        'description',
        REFUSED_TEXT,
      ],
      [
        'a 201-character venue',
        { venue: 'x'.repeat(201) },
        'venue',
        'Venue must be at most 200 characters',
      ],
      [
        'a venue sent as an array',
        { venue: undefined, 'venue[0]': 'x' },
        'venue',
        'Venue must be text',
      ],
      ['a venue with a NUL byte', { venue: `Blue${NUL}Room` }, 'venue', REFUSED_TEXT],
      ['an empty start time', { startsAt: '' }, 'startsAt', BAD_DATE],
      ['a missing start time', { startsAt: undefined }, 'startsAt', BAD_DATE],
      ['month 13 and day 45', { startsAt: `${nextYear}-13-45T10:00` }, 'startsAt', BAD_DATE],
      ['hour 25', { startsAt: `${nextYear}-01-10T25:00` }, 'startsAt', BAD_DATE],
      [
        'hour 24 (which Date would roll over to the next day)',
        { startsAt: `${nextYear}-01-10T24:00` },
        'startsAt',
        BAD_DATE,
      ],
      [
        '30 February (which Date would roll over to March)',
        { startsAt: `${nextYear}-02-30T10:00` },
        'startsAt',
        BAD_DATE,
      ],
      ['"tomorrow"', { startsAt: 'tomorrow' }, 'startsAt', BAD_DATE],
      ['a date without a time', { startsAt: `${nextYear}-01-10` }, 'startsAt', BAD_DATE],
      [
        'a start time sent as an array',
        { startsAt: undefined, 'startsAt[0]': futureDateTime() },
        'startsAt',
        BAD_DATE,
      ],
      [
        'a start time in the past',
        { startsAt: '2020-01-01T10:00' },
        'startsAt',
        'The event must start in the future.',
      ],
      ['0 tickets per type per order', { maxTicketsPerType: '0' }, 'maxTicketsPerType', BAD_MAX],
      [
        'a negative number of tickets per order',
        { maxTicketsPerType: '-1' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      [
        '101 tickets per type per order',
        { maxTicketsPerType: '101' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      [
        'a non-numeric number of tickets per order',
        { maxTicketsPerType: 'ten' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      [
        'a fractional number of tickets per order',
        { maxTicketsPerType: '2.5' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      [
        'an empty number of tickets per order',
        { maxTicketsPerType: '' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      [
        'a number of tickets per order sent as an array',
        { maxTicketsPerType: undefined, 'maxTicketsPerType[0]': '5' },
        'maxTicketsPerType',
        BAD_MAX,
      ],
      ['0 minutes to pay', { holdMinutes: '0' }, 'holdMinutes', BAD_HOLD],
      ['121 minutes to pay', { holdMinutes: '121' }, 'holdMinutes', BAD_HOLD],
      ['a fractional number of minutes to pay', { holdMinutes: '7.5' }, 'holdMinutes', BAD_HOLD],
      ['a non-numeric number of minutes to pay', { holdMinutes: 'soon' }, 'holdMinutes', BAD_HOLD],
      ['an empty number of minutes to pay', { holdMinutes: '' }, 'holdMinutes', BAD_HOLD],
      [
        'minutes to pay sent as an array',
        { holdMinutes: undefined, 'holdMinutes[0]': '5' },
        'holdMinutes',
        BAD_HOLD,
      ],
      [
        'an empty ticket-type name',
        { 'ticketTypes[0][name]': '' },
        'tt-0-name',
        'Name must be 1 to 60 characters',
      ],
      [
        'a missing ticket-type name',
        { 'ticketTypes[0][name]': undefined },
        'tt-0-name',
        'Enter a name',
      ],
      [
        'a 61-character ticket-type name',
        { 'ticketTypes[0][name]': 'x'.repeat(61) },
        'tt-0-name',
        'Name must be 1 to 60 characters',
      ],
      [
        'a ticket-type name with a NUL byte',
        { 'ticketTypes[1][name]': `VIP${NUL}` },
        'tt-1-name',
        REFUSED_TEXT,
      ],
      [
        'a ticket-type name sent as an array',
        { 'ticketTypes[0][name]': undefined, 'ticketTypes[0][name][0]': 'x' },
        'tt-0-name',
        'Enter a name',
      ],
      ['an empty price', { 'ticketTypes[0][price]': '' }, 'tt-0-price', BAD_PRICE],
      ['a missing price', { 'ticketTypes[0][price]': undefined }, 'tt-0-price', BAD_PRICE],
      ['a negative price', { 'ticketTypes[0][price]': '-1.00' }, 'tt-0-price', BAD_PRICE],
      ['a non-numeric price', { 'ticketTypes[0][price]': 'free' }, 'tt-0-price', BAD_PRICE],
      ['a price over 100000.00', { 'ticketTypes[0][price]': '100000.01' }, 'tt-0-price', BAD_PRICE],
      ['a huge price', { 'ticketTypes[0][price]': '99999999999999' }, 'tt-0-price', BAD_PRICE],
      [
        'a price with three decimals',
        { 'ticketTypes[0][price]': '1.234' },
        'tt-0-price',
        BAD_PRICE,
      ],
      [
        'a price with a decimal comma',
        { 'ticketTypes[1][price]': '12,50' },
        'tt-1-price',
        BAD_PRICE,
      ],
      ['a price in exponent notation', { 'ticketTypes[0][price]': '1e3' }, 'tt-0-price', BAD_PRICE],
      [
        'a price sent as an array',
        { 'ticketTypes[0][price]': undefined, 'ticketTypes[0][price][0]': '5' },
        'tt-0-price',
        BAD_PRICE,
      ],
      ['an empty capacity', { 'ticketTypes[0][capacity]': '' }, 'tt-0-capacity', BAD_CAPACITY],
      [
        'a missing capacity',
        { 'ticketTypes[0][capacity]': undefined },
        'tt-0-capacity',
        BAD_CAPACITY,
      ],
      ['a capacity of 0', { 'ticketTypes[0][capacity]': '0' }, 'tt-0-capacity', BAD_CAPACITY],
      ['a negative capacity', { 'ticketTypes[0][capacity]': '-5' }, 'tt-0-capacity', BAD_CAPACITY],
      [
        'a non-numeric capacity',
        { 'ticketTypes[0][capacity]': 'lots' },
        'tt-0-capacity',
        BAD_CAPACITY,
      ],
      [
        'a fractional capacity',
        { 'ticketTypes[1][capacity]': '1.5' },
        'tt-1-capacity',
        BAD_CAPACITY,
      ],
      [
        'a capacity of 100001',
        { 'ticketTypes[0][capacity]': '100001' },
        'tt-0-capacity',
        BAD_CAPACITY,
      ],
      [
        'a huge capacity',
        { 'ticketTypes[0][capacity]': '99999999999999' },
        'tt-0-capacity',
        BAD_CAPACITY,
      ],
      [
        'a capacity sent as an array',
        { 'ticketTypes[0][capacity]': undefined, 'ticketTypes[0][capacity][0]': '5' },
        'tt-0-capacity',
        BAD_CAPACITY,
      ],
    ];

    describe.each(cases)('with %s', (_what, changes, field, message) => {
      const posted = withChanges(baseFields(), changes);
      let response: Awaited<ReturnType<typeof submit>>;
      let before: Awaited<ReturnType<typeof rowCounts>>;

      beforeAll(async () => {
        before = await rowCounts();
        response = await submit('/create-event', posted);
      });

      it('answers 422 with the form again', () => {
        expect(response.status).toBe(422);
        expect(response.text).toContain('action="/create-event"');
      });

      it(`shows the message at ${field}`, () => {
        expect(fieldError(response.text, field)).toBe(message);
      });

      it('keeps what the user typed in the other fields', () => {
        const changedKeys = Object.keys(changes).map((key) => key.replace(/\[0\]$/, ''));
        for (const [name, value] of Object.entries(posted)) {
          if (changedKeys.includes(name) || name.endsWith('[0]')) continue;
          expect([name, shownValue(response.text, name)]).toEqual([name, value]);
        }
      });

      it('keeps the refused value as typed when it was text', () => {
        const [name, value] = Object.entries(changes)[0];
        if (value === undefined || value.includes(NUL) || name.endsWith('[0]')) return;
        expect(shownValue(response.text, name)).toBe(value);
      });

      it('adds no event and no ticket type', async () => {
        expect(await rowCounts()).toEqual(before);
      });
    });

    it('refuses an event without any ticket type, with the message at the ticket types', async () => {
      const before = await rowCounts();
      const empty = { name: '', price: '', capacity: '' };
      const changes: PostedFields = {};
      for (const index of [0, 1]) {
        for (const [key, value] of Object.entries(empty))
          changes[`ticketTypes[${index}][${key}]`] = value;
      }
      const res = await submit('/create-event', withChanges(baseFields(), changes));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'ticketTypes')).toBe('Add at least one ticket type.');
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses more than 20 ticket types', async () => {
      const before = await rowCounts();
      const changes: PostedFields = {};
      for (let index = 0; index < 21; index++) {
        changes[`ticketTypes[${index}][name]`] = `Type ${index}`;
        changes[`ticketTypes[${index}][price]`] = '1.00';
        changes[`ticketTypes[${index}][capacity]`] = '1';
      }
      const res = await submit('/create-event', withChanges(baseFields(), changes));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'ticketTypes')).toBe(
        'An event can have at most 20 ticket types.',
      );
      expect(await rowCounts()).toEqual(before);
    });

    it('shows a message at every bad field at once', async () => {
      const res = await submit(
        '/create-event',
        withChanges(baseFields(), {
          title: '',
          'ticketTypes[1][price]': 'x',
          'ticketTypes[1][capacity]': '0',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'title')).toBeDefined();
      expect(fieldError(res.text, 'tt-1-price')).toBe(BAD_PRICE);
      expect(fieldError(res.text, 'tt-1-capacity')).toBe(BAD_CAPACITY);
      expect(fieldError(res.text, 'tt-0-price')).toBeUndefined();
    });
  });

  describe('text containing HTML', () => {
    const SCRIPT = '<script>alert(1)</script>';
    const IMG = '"><img src=x onerror=1>';
    let eventId: number;

    beforeAll(async () => {
      eventId = await createEvent(testApp, organiser, {
        title: SCRIPT,
        description: `${IMG} ${SCRIPT}`,
        venue: IMG,
        'ticketTypes[0][name]': SCRIPT,
        'ticketTypes[1][name]': IMG,
      });
    });

    const expectEscaped = (html: string) => {
      expect(html).not.toContain(SCRIPT);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;1&gt;');
    };

    it('is stored exactly as typed', async () => {
      expect(await eventRow(eventId)).toMatchObject({
        title: SCRIPT,
        venue: IMG,
        description: `${IMG} ${SCRIPT}`,
      });
      expect((await ticketTypesOf(testApp, eventId)).map((type) => type.name)).toEqual([
        SCRIPT,
        IMG,
      ]);
    });

    it('is shown escaped on the dashboard', async () => {
      expectEscaped((await organiser.get('/organiser')).text);
    });

    it('is shown escaped in the edit form', async () => {
      const res = await organiser.get(`/edit-event/${eventId}`);
      expectEscaped(res.text);
      expect(shownValue(res.text, 'title')).toBe(SCRIPT);
      expect(shownValue(res.text, 'venue')).toBe(IMG);
    });

    it('is shown escaped on the public event page', async () => {
      expectEscaped((await testApp.browser().get(`/event/${eventId}`)).text);
    });

    it('is shown escaped on the list of events', async () => {
      const res = await testApp.browser().get('/attendee');
      expect(res.text).not.toContain(SCRIPT);
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('is shown escaped on the home page', async () => {
      const res = await testApp.browser().get('/');
      expect(res.text).not.toContain(SCRIPT);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('is shown escaped when a refused form is shown again', async () => {
      const res = await submit(
        '/create-event',
        withChanges(baseFields(), { title: SCRIPT, venue: IMG, startsAt: '' }),
      );
      expect(res.status).toBe(422);
      expectEscaped(res.text);
    });
  });

  describe('editing an event', () => {
    it('shows the form prefilled with the event and its ticket types', async () => {
      const startsAt = futureDateTime(40);
      const id = await createEvent(testApp, organiser, {
        title: 'Prefilled Play',
        description: 'Two acts',
        venue: 'Old Vic',
        startsAt,
        maxTicketsPerType: '4',
      });
      const [fullPrice, concession] = await ticketTypesOf(testApp, id);
      const res = await organiser.get(`/edit-event/${id}`);
      expect(res.status).toBe(200);
      expect(formControls(res.text)).toMatchObject({
        title: 'Prefilled Play',
        description: 'Two acts',
        venue: 'Old Vic',
        startsAt,
        maxTicketsPerType: '4',
        'ticketTypes[0][id]': String(fullPrice.id),
        'ticketTypes[0][name]': 'Full price',
        'ticketTypes[0][price]': '25.00',
        'ticketTypes[0][capacity]': '100',
        'ticketTypes[1][id]': String(concession.id),
        'ticketTypes[1][name]': 'Concession',
        'ticketTypes[1][price]': '12.50',
        'ticketTypes[1][capacity]': '50',
      });
    });

    it('saves a new title, price and capacity and redirects to the dashboard with 303', async () => {
      const id = await createEvent(testApp, organiser);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          title: 'Renamed Night',
          'ticketTypes[0][price]': '30.00',
          'ticketTypes[1][capacity]': '75',
        }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      expect((await eventRow(id)).title).toBe('Renamed Night');
      const [fullPrice, concession] = await ticketTypesOf(testApp, id);
      expect(fullPrice.price_cents).toBe(3000);
      expect(concession.capacity).toBe(75);
    });

    it('updates the existing ticket types in place, keeping their ids and sales', async () => {
      const id = await createEvent(testApp, organiser);
      const before = await ticketTypesOf(testApp, id);
      await buy(id, before[0].id, 2);
      await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { 'ticketTypes[0][name]': 'Standard' }),
      );
      const after = await ticketTypesOf(testApp, id);
      expect(after.map((type) => [type.id, type.name, type.sold])).toEqual([
        [before[0].id, 'Standard', 2],
        [before[1].id, 'Concession', 0],
      ]);
    });

    it('keeps a published event published', async () => {
      const id = await createEvent(testApp, organiser);
      await submit(`/edit-event/${id}`, await editFormFields(id, { title: 'Still public' }));
      expect((await eventRow(id)).status).toBe('published');
    });

    it('lets capacity go down to exactly the number sold', async () => {
      const id = await createEvent(testApp, organiser);
      const [fullPrice] = await ticketTypesOf(testApp, id);
      await buy(id, fullPrice.id, 3);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { 'ticketTypes[0][capacity]': '3' }),
      );
      expect(res.status).toBe(303);
      expect((await ticketTypesOf(testApp, id))[0].capacity).toBe(3);
    });

    describe('with capacity below the tickets sold', () => {
      let id: number;
      let response: Awaited<ReturnType<typeof submit>>;

      beforeAll(async () => {
        id = await createEvent(testApp, organiser, { title: 'Busy Night' });
        const [fullPrice] = await ticketTypesOf(testApp, id);
        await buy(id, fullPrice.id, 3);
        response = await submit(
          `/edit-event/${id}`,
          await editFormFields(id, {
            title: 'Should not be saved',
            'ticketTypes[0][capacity]': '2',
            'ticketTypes[1][price]': '1.00',
          }),
        );
      });

      it('answers 422', () => {
        expect(response.status).toBe(422);
      });

      it('says so at that ticket type’s capacity', () => {
        expect(fieldError(response.text, 'tt-0-capacity')).toBe(
          'Capacity cannot be below the 3 tickets already sold.',
        );
      });

      it('keeps the values the organiser typed', () => {
        expect(shownValue(response.text, 'title')).toBe('Should not be saved');
        expect(shownValue(response.text, 'ticketTypes[0][capacity]')).toBe('2');
      });

      it('changes nothing: not the event, not the other ticket types', async () => {
        expect((await eventRow(id)).title).toBe('Busy Night');
        expect(
          (await ticketTypesOf(testApp, id)).map((type) => [
            type.capacity,
            type.sold,
            type.price_cents,
          ]),
        ).toEqual([
          [100, 3, 2500],
          [50, 0, 1250],
        ]);
      });
    });

    it('also refuses a capacity below sold when the sales were recorded directly in the database', async () => {
      const id = await createEvent(testApp, organiser);
      const [, concession] = await ticketTypesOf(testApp, id);
      await testApp.sql('UPDATE ticket_types SET sold = 40 WHERE id = ?', [concession.id]);
      await testApp.sql('UPDATE date_inventory SET sold = 40 WHERE ticket_type_id = ?', [
        concession.id,
      ]);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { 'ticketTypes[1][capacity]': '39' }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tt-1-capacity')).toBe(
        'Capacity cannot be below the 40 tickets already sold.',
      );
      expect((await ticketTypesOf(testApp, id))[1].capacity).toBe(50);
    });

    it('refuses to remove a ticket type that has sales, saying why, and changes nothing', async () => {
      const id = await createEvent(testApp, organiser, { title: 'Keep my types' });
      const [, concession] = await ticketTypesOf(testApp, id);
      await buy(id, concession.id, 1);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          title: 'Dropped concession',
          'ticketTypes[1][id]': undefined,
          'ticketTypes[1][name]': '',
          'ticketTypes[1][price]': '',
          'ticketTypes[1][capacity]': '',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'ticketTypes')).toContain(
        '"Concession" has bookings, so it cannot be removed',
      );
      expect((await eventRow(id)).title).toBe('Keep my types');
      expect((await ticketTypesOf(testApp, id)).map((type) => type.name)).toEqual([
        'Full price',
        'Concession',
      ]);
    });

    it('removes a ticket type without sales when its row is left out', async () => {
      const id = await createEvent(testApp, organiser);
      const [fullPrice] = await ticketTypesOf(testApp, id);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          'ticketTypes[1][id]': undefined,
          'ticketTypes[1][name]': '',
          'ticketTypes[1][price]': '',
          'ticketTypes[1][capacity]': '',
        }),
      );
      expect(res.status).toBe(303);
      expect((await ticketTypesOf(testApp, id)).map((type) => type.id)).toEqual([fullPrice.id]);
    });

    it('adds a ticket type typed into the spare row', async () => {
      const id = await createEvent(testApp, organiser);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          'ticketTypes[2][name]': 'VIP',
          'ticketTypes[2][price]': '99.99',
          'ticketTypes[2][capacity]': '10',
        }),
      );
      expect(res.status).toBe(303);
      const rows = await testApp.sql<
        { name: string; price_cents: number; capacity: number; sold: number; sort_order: number }[]
      >(
        'SELECT name, price_cents, capacity, sold, sort_order FROM ticket_types WHERE event_id = ? ORDER BY sort_order',
        [id],
      );
      expect(rows[2]).toEqual({
        name: 'VIP',
        price_cents: 9999,
        capacity: 10,
        sold: 0,
        sort_order: 2,
      });
      expect(rows).toHaveLength(3);
    });

    it('refuses a ticket type id of another event with 422 and changes neither event', async () => {
      const id = await createEvent(testApp, organiser, { title: 'Mine' });
      const otherId = await createEvent(testApp, organiser, { title: 'Other' });
      const [otherFullPrice] = await ticketTypesOf(testApp, otherId);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          title: 'Mine, edited',
          'ticketTypes[0][id]': String(otherFullPrice.id),
          'ticketTypes[0][capacity]': '7',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tt-0-name')).toBe(
        'This ticket type does not belong to this event.',
      );
      expect((await eventRow(id)).title).toBe('Mine');
      expect((await ticketTypesOf(testApp, otherId))[0]).toMatchObject({
        id: otherFullPrice.id,
        capacity: 100,
      });
      expect(await ticketTypesOf(testApp, id)).toHaveLength(2);
    });

    it('refuses a ticket type id of another organiser’s event', async () => {
      const id = await createEvent(testApp, organiser);
      const foreignId = await createEvent(testApp, otherOrganiser);
      const [foreign] = await ticketTypesOf(testApp, foreignId);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { 'ticketTypes[1][id]': String(foreign.id) }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tt-1-name')).toBe(
        'This ticket type does not belong to this event.',
      );
      expect((await ticketTypesOf(testApp, foreignId))[0].name).toBe('Full price');
    });

    it('refuses the same ticket type id in two rows', async () => {
      const id = await createEvent(testApp, organiser, { title: 'Twice' });
      const [fullPrice] = await ticketTypesOf(testApp, id);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          'ticketTypes[1][id]': String(fullPrice.id),
          'ticketTypes[1][name]': 'Duplicate',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tt-1-name')).toBe('This ticket type appears twice in the form.');
      expect((await ticketTypesOf(testApp, id)).map((type) => type.name)).toEqual([
        'Full price',
        'Concession',
      ]);
    });

    it('refuses a non-numeric ticket type id', async () => {
      const id = await createEvent(testApp, organiser);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { 'ticketTypes[0][id]': 'abc' }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tt-0-name')).toBe('Unknown ticket type');
    });

    it('refuses invalid input with 422, keeping the typed values, and saves nothing', async () => {
      const id = await createEvent(testApp, organiser, { title: 'Untouched' });
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, {
          title: '',
          venue: 'New venue',
          'ticketTypes[0][price]': '1.234',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'title')).toBe('Title must be 1 to 200 characters');
      expect(fieldError(res.text, 'tt-0-price')).toBe(
        'Price must be from 0.00 to 100000.00, like 12.50',
      );
      expect(shownValue(res.text, 'venue')).toBe('New venue');
      expect(await eventRow(id)).toMatchObject({ title: 'Untouched', venue: 'The Blue Room' });
    });

    it('refuses moving the start time into the past', async () => {
      const id = await createEvent(testApp, organiser);
      const res = await submit(
        `/edit-event/${id}`,
        await editFormFields(id, { startsAt: '2020-01-01T10:00' }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'startsAt')).toBe('The event must start in the future.');
    });

    it('answers 404 for another organiser’s event, on the form and on saving', async () => {
      const foreignId = await createEvent(testApp, otherOrganiser, { title: 'Not yours' });
      expect((await organiser.get(`/edit-event/${foreignId}`)).status).toBe(404);
      const res = await submit(
        `/edit-event/${foreignId}`,
        withChanges(baseFields(), { title: 'Hijacked' }),
      );
      expect(res.status).toBe(404);
      expect((await eventRow(foreignId)).title).toBe('Not yours');
    });
  });

  describe('deleting an event', () => {
    it('deletes it with its ticket types and redirects to the dashboard with 303', async () => {
      const id = await createEvent(testApp, organiser, {}, { publish: false });
      const res = await submit(`/delete-event/${id}`, {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      expect(await eventRow(id)).toBeUndefined();
      expect(await ticketTypesOf(testApp, id)).toEqual([]);
    });

    it('refuses with 409 when the event has a confirmed booking, and deletes nothing', async () => {
      const id = await createEvent(testApp, organiser);
      const [fullPrice] = await ticketTypesOf(testApp, id);
      await buy(id, fullPrice.id, 1);
      const res = await submit(`/delete-event/${id}`, {});
      expect(res.status).toBe(409);
      expect(res.text).toContain('1 ticket booked');
      expect(await eventRow(id)).toBeDefined();
      expect(await ticketTypesOf(testApp, id)).toHaveLength(2);
      const [{ bookings }] = await testApp.sql<{ bookings: number }[]>(
        'SELECT COUNT(*) AS bookings FROM bookings WHERE event_id = ?',
        [id],
      );
      expect(Number(bookings)).toBe(1);
    });

    it('deletes an event whose bookings are all cancelled, bookings included', async () => {
      const id = await createEvent(testApp, organiser);
      const [fullPrice] = await ticketTypesOf(testApp, id);
      await buy(id, fullPrice.id, 2);
      await testApp.sql(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP WHERE event_id = ?",
        [id],
      );
      await testApp.sql('UPDATE ticket_types SET sold = 0 WHERE event_id = ?', [id]);
      await testApp.sql(
        'UPDATE date_inventory SET sold = 0 WHERE ticket_type_id IN (SELECT id FROM ticket_types WHERE event_id = ?)',
        [id],
      );
      const res = await submit(`/delete-event/${id}`, {});
      expect(res.status).toBe(303);
      expect(await eventRow(id)).toBeUndefined();
      expect(await ticketTypesOf(testApp, id)).toEqual([]);
      const [{ bookings }] = await testApp.sql<{ bookings: number }[]>(
        'SELECT COUNT(*) AS bookings FROM bookings WHERE event_id = ?',
        [id],
      );
      expect(Number(bookings)).toBe(0);
    });

    it('answers 404 for another organiser’s event and deletes nothing', async () => {
      const foreignId = await createEvent(testApp, otherOrganiser);
      expect((await submit(`/delete-event/${foreignId}`, {})).status).toBe(404);
      expect(await eventRow(foreignId)).toBeDefined();
    });
  });

  describe('publishing an event', () => {
    it('turns a draft into a published event with published_at set, redirecting to the dashboard', async () => {
      const id = await createEvent(testApp, organiser, {}, { publish: false });
      expect((await eventRow(id)).published_at).toBeNull();
      const res = await submit(`/publish-event/${id}`, {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      const event = await eventRow(id);
      expect(event.status).toBe('published');
      expect(event.published_at).not.toBeNull();
    });

    it('makes the event visible to attendees', async () => {
      const id = await createEvent(testApp, organiser, {}, { publish: false });
      expect((await testApp.browser().get(`/event/${id}`)).status).toBe(404);
      await submit(`/publish-event/${id}`, {});
      expect((await testApp.browser().get(`/event/${id}`)).status).toBe(200);
    });

    it('is harmless a second time: 303 and published_at unchanged', async () => {
      const id = await createEvent(testApp, organiser);
      const first = (await eventRow(id)).published_at;
      const res = await submit(`/publish-event/${id}`, {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/organiser');
      expect(await eventRow(id)).toMatchObject({ status: 'published', published_at: first });
    });

    it('answers 404 for another organiser’s draft and leaves it a draft', async () => {
      const foreignId = await createEvent(testApp, otherOrganiser, {}, { publish: false });
      expect((await submit(`/publish-event/${foreignId}`, {})).status).toBe(404);
      expect((await eventRow(foreignId)).status).toBe('draft');
    });
  });

  describe('ids that name no event', () => {
    const ids = ['abc', '0', '-1', '1.5', '999999', '99999999999999999999'];

    it.each(ids)('GET /edit-event/%s answers 404', async (id) => {
      expect((await organiser.get(`/edit-event/${id}`)).status).toBe(404);
    });

    it.each(ids)('POST /edit-event/%s answers 404', async (id) => {
      expect((await submit(`/edit-event/${id}`, withChanges(baseFields(), {}))).status).toBe(404);
    });

    it.each(ids)('POST /delete-event/%s answers 404', async (id) => {
      expect((await submit(`/delete-event/${id}`, {})).status).toBe(404);
    });

    it.each(ids)('POST /publish-event/%s answers 404', async (id) => {
      expect((await submit(`/publish-event/${id}`, {})).status).toBe(404);
    });
  });
});
