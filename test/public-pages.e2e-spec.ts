import { ATTENDEE_PAGE_EVENTS } from '../src/events/public-events.controller';
import {
  Browser,
  createEvent,
  insertEvent,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';

/** The event card of one event on a list page (home or /attendee), or undefined when it is not listed. */
function eventCard(html: string, eventId: number): string | undefined {
  return html
    .split('<article class="card event-card">')
    .slice(1)
    .find((card) => card.includes(`href="/event/${eventId}"`));
}

describe('public event pages', () => {
  let testApp: TestApp;
  let admin: Browser;
  let visitor: Browser;
  /** Published, in the future. */
  let upcoming: number;
  let later: number;
  let draft: number;
  /** Published, but its start time was moved into the past. */
  let past: number;
  let soldOut: number;

  const setSold = async (eventId: number, sold: number) => {
    await testApp.sql('UPDATE ticket_types SET sold = ? WHERE event_id = ? AND sort_order = 0', [
      sold,
      eventId,
    ]);
    await testApp.sql(
      'UPDATE date_inventory SET sold = ? WHERE ticket_type_id IN (SELECT id FROM ticket_types WHERE event_id = ? AND sort_order = 0)',
      [sold, eventId],
    );
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin, undefined, 'Ada Admin');
    const settings = await admin.submit(
      '/update-settings',
      { name: 'Riverside Tickets', description: 'Concerts by the river' },
      '/site-settings',
    );
    if (settings.status !== 303) throw new Error(`settings failed: ${settings.status}`);

    const organiser = testApp.browser();
    await register(organiser);
    later = await createEvent(testApp, organiser, {
      title: 'Later Lieder',
      startsAt: futureDate(60),
    });
    upcoming = await createEvent(testApp, organiser, {
      title: 'Upcoming Unplugged',
      startsAt: futureDate(10),
      venue: 'Pier Hall',
      description: 'Acoustic sets all night',
    });
    draft = await createEvent(
      testApp,
      organiser,
      { title: 'Draft Dubstep', startsAt: futureDate(5) },
      { publish: false },
    );
    past = await createEvent(testApp, organiser, { title: 'Past Polka', startsAt: futureDate(3) });
    await testApp.sql("UPDATE events SET starts_at = '2020-01-01 19:00:00.000' WHERE id = ?", [
      past,
    ]);
    await testApp.sql(
      "UPDATE event_dates SET starts_at = '2020-01-01 19:00:00.000' WHERE event_id = ?",
      [past],
    );
    soldOut = await createEvent(testApp, organiser, {
      title: 'Sold-out Swing',
      startsAt: futureDate(20),
      'ticketTypes[0][capacity]': '5',
      'ticketTypes[1][name]': '',
      'ticketTypes[1][price]': '',
      'ticketTypes[1][capacity]': '',
    });
    await setSold(soldOut, 5);
    await setSold(upcoming, 30);
    visitor = testApp.browser();
  });
  afterAll(() => testApp.close());

  describe('the home page', () => {
    it('shows the site name and description', async () => {
      const res = await visitor.get('/');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Riverside Tickets');
      expect(res.text).toContain('Concerts by the river');
    });

    it('has the site name in the header and the page title', async () => {
      const res = await visitor.get('/');
      expect(res.text).toContain('<a class="brand" href="/">Riverside Tickets</a>');
      expect(res.text).toMatch(/<title>[^<]*Riverside Tickets<\/title>/);
    });

    it('shows a logged-in user in the header, as every other page does', async () => {
      const res = await admin.get('/');
      expect(res.text).toContain('Log out');
      expect(res.text).toContain('href="/organiser"');
    });

    it('lists upcoming published events', async () => {
      const res = await visitor.get('/');
      expect(eventCard(res.text, upcoming)).toContain('Upcoming Unplugged');
      expect(eventCard(res.text, later)).toContain('Later Lieder');
    });

    it('does not list drafts', async () => {
      const res = await visitor.get('/');
      expect(eventCard(res.text, draft)).toBeUndefined();
      expect(res.text).not.toContain('Draft Dubstep');
    });

    it('does not list events that have already started', async () => {
      const res = await visitor.get('/');
      expect(eventCard(res.text, past)).toBeUndefined();
      expect(res.text).not.toContain('Past Polka');
    });

    it('lists the soonest event first', async () => {
      const res = await visitor.get('/');
      expect(res.text.indexOf(`/event/${upcoming}"`)).toBeLessThan(
        res.text.indexOf(`/event/${later}"`),
      );
    });
  });

  describe('the list of events (/attendee)', () => {
    it('lists every upcoming published event', async () => {
      const res = await visitor.get('/attendee');
      expect(res.status).toBe(200);
      for (const id of [upcoming, later, soldOut]) expect(eventCard(res.text, id)).toBeDefined();
    });

    it('leaves out drafts and past events', async () => {
      const res = await visitor.get('/attendee');
      expect(eventCard(res.text, draft)).toBeUndefined();
      expect(eventCard(res.text, past)).toBeUndefined();
    });

    it('says how many tickets are left', async () => {
      // 100 + 50 capacity, 30 sold
      const card = eventCard((await visitor.get('/attendee')).text, upcoming);
      expect(card).toContain('120 left');
    });

    it('shows the lowest price', async () => {
      const card = eventCard((await visitor.get('/attendee')).text, upcoming);
      expect(card).toContain('from €12.50');
    });

    it('says "Sold out" when every ticket is sold', async () => {
      const card = eventCard((await visitor.get('/attendee')).text, soldOut);
      expect(card).toContain('Sold out');
      expect(card).not.toContain(' left');
    });

    it('lists events in order of their start time', async () => {
      const text = (await visitor.get('/attendee')).text;
      const positions = [upcoming, soldOut, later].map((id) => text.indexOf(`/event/${id}"`));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });

    it('lists more events than fit on the home page', async () => {
      const organiser = testApp.browser();
      await register(organiser);
      const created: number[] = [];
      for (let day = 100; day < 107; day++) {
        created.push(
          await createEvent(testApp, organiser, {
            title: `Series ${day}`,
            startsAt: futureDate(day),
          }),
        );
      }
      const list = (await visitor.get('/attendee')).text;
      for (const id of created) expect(eventCard(list, id)).toBeDefined();
      const home = (await visitor.get('/')).text;
      expect(eventCard(home, created[6])).toBeUndefined();
      expect(home).toContain('href="/attendee"');
    });
  });

  describe('pages of /attendee when there are many events', () => {
    it('shows every upcoming event on exactly one page, in order, with links between pages', async () => {
      const inserted: number[] = [];
      for (let day = 200; day < 200 + ATTENDEE_PAGE_EVENTS + 5; day++) {
        const { eventId } = await insertEvent(testApp, {
          title: `Many ${day}`,
          startsAt: new Date(Date.now() + day * 86_400_000),
          ticketTypes: [{ capacity: 10 }],
        });
        inserted.push(eventId);
      }
      const listed: number[] = [];
      let path: string | undefined = '/attendee';
      while (path) {
        const res = await visitor.get(path);
        expect(res.status).toBe(200);
        const ids = [
          ...res.text.matchAll(/<article class="card event-card">[\s\S]*?href="\/event\/(\d+)"/g),
        ];
        expect(ids.length).toBeLessThanOrEqual(ATTENDEE_PAGE_EVENTS);
        listed.push(...ids.map((match) => Number(match[1])));
        path = /<a href="(\/attendee\?page=\d+)" rel="next">/.exec(res.text)?.[1];
      }
      expect(listed).toEqual(expect.arrayContaining([...inserted, upcoming, later, soldOut]));
      expect(listed).not.toContain(draft);
      expect(listed).not.toContain(past);
      expect(new Set(listed).size).toBe(listed.length);
      // Soonest first across pages: the events inserted a day apart keep their order.
      expect(listed.filter((id) => inserted.includes(id))).toEqual(inserted);

      const second = await visitor.get('/attendee?page=2');
      expect(second.text).toContain('<a href="/attendee?page=1" rel="prev">');
    });

    it('shows the first page for a page that is not a number', async () => {
      for (const bad of ['abc', '-1', '0', '1.5', '%00'])
        expect((await visitor.get(`/attendee?page=${bad}`)).status).toBe(200);
    });

    it('answers 404, with a way back, for a page past the last', async () => {
      for (const beyond of ['999999', '1000001', '99999999999999999999999']) {
        const res = await visitor.get(`/attendee?page=${beyond}`);
        expect(res.status).toBe(404);
        expect(res.text).toContain('There is no such page.');
        expect(res.text).toContain('href="/"');
      }
    });
  });

  describe('an event page', () => {
    it('shows the title, venue, description and start time', async () => {
      const res = await visitor.get(`/event/${upcoming}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Upcoming Unplugged');
      expect(res.text).toContain('Pier Hall');
      expect(res.text).toContain('Acoustic sets all night');
      expect(res.text).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T/);
    });

    it('lists each ticket type with its price and tickets left', async () => {
      const res = await visitor.get(`/event/${upcoming}`);
      const rows = [
        ...res.text.matchAll(
          /<tr>\s*<td>([^<]*)<\/td>\s*<td class="num">([^<]*)<\/td>\s*<td class="num">([^<]*)<\/td>/g,
        ),
      ].map((match) => match.slice(1, 4));
      expect(rows).toEqual([
        ['Full price', '€25.00', '70'],
        ['Concession', '€12.50', '50'],
      ]);
    });

    it('links to the buy form', async () => {
      const res = await visitor.get(`/event/${upcoming}`);
      expect(res.text).toContain(`href="/buy-tickets/${upcoming}"`);
    });

    it('marks a sold-out ticket type and offers no buy link when everything is sold', async () => {
      const res = await visitor.get(`/event/${soldOut}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Sold out');
      expect(res.text).not.toContain(`/buy-tickets/${soldOut}`);
    });

    it('says sales are closed for an event that has started, with no buy link', async () => {
      const res = await visitor.get(`/event/${past}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('sales are closed');
      expect(res.text).not.toContain(`/buy-tickets/${past}`);
    });

    it('answers 404 for a draft', async () => {
      const res = await visitor.get(`/event/${draft}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Draft Dubstep');
    });

    it('answers 404 for a draft even to its organiser', async () => {
      expect((await admin.get(`/event/${draft}`)).status).toBe(404);
    });

    it.each(['999999', 'abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])(
      'answers 404 for the id %s',
      async (id) => {
        expect((await visitor.get(`/event/${id}`)).status).toBe(404);
      },
    );

    it('shows the tickets left after a real purchase', async () => {
      const [, concession] = await ticketTypesOf(testApp, later);
      const buyer = testApp.browser();
      const form = await buyer.get(`/buy-tickets/${later}`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1];
      const purchase = await buyer.submit(
        `/purchase/${later}`,
        {
          [`quantities[${concession.id}]`]: 4,
          attendeeName: 'Bea Buyer',
          attendeeEmail: 'bea@example.com',
          idempotencyKey: key,
        },
        `/buy-tickets/${later}`,
      );
      expect(purchase.status).toBe(303);
      const res = await visitor.get(`/event/${later}`);
      expect(res.text).toMatch(
        /<td>Concession<\/td>\s*<td class="num">€12\.50<\/td>\s*<td class="num">46<\/td>/,
      );
    });
  });
});

/** `YYYY-MM-DDTHH:mm` some days ahead, on the hour, so events sort predictably. */
function futureDate(daysAhead: number): string {
  const date = new Date(Date.now() + daysAhead * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:00`;
}
