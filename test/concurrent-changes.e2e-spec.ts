import {
  Browser,
  createEvent,
  eventFields,
  hiddenField,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from './support/test-app';

/*
 * Changes that race each other. SQLite runs write transactions one at a time; on
 * PostgreSQL they overlap for real, and locks (src/database/locks.ts) must order them.
 */

const PASSWORD = 'correct horse battery';

describe('changes racing each other', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
    // One server already listening: supertest would otherwise start one per request.
    await testApp.app.listen(0);
  });
  afterAll(() => testApp.close());

  /** Browsers that have each loaded `path` (and so hold a CSRF token), ready to post at once. */
  async function browsersOn(count: number, path: string) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const browser = testApp.browser();
        const page = await browser.get(path);
        return { browser, csrf: hiddenField(page.text, '_csrf') };
      }),
    );
  }

  describe('registrations at the same moment on an empty database', () => {
    let distinct: number[];
    let sameEmail: number[];

    beforeAll(async () => {
      const first = await browsersOn(10, '/register');
      distinct = await Promise.all(
        first.map(({ browser, csrf }, i) =>
          browser
            .post('/register', {
              email: uniqueEmail(`first-${i}`),
              password: PASSWORD,
              displayName: 'Early Bird',
              _csrf: csrf,
            })
            .then((res) => res.status),
        ),
      );
      const email = uniqueEmail('twin');
      const twins = await browsersOn(10, '/register');
      sameEmail = await Promise.all(
        twins.map(({ browser, csrf }) =>
          browser
            .post('/register', { email, password: PASSWORD, displayName: 'Twin', _csrf: csrf })
            .then((res) => res.status),
        ),
      );
    });

    it('makes exactly one of the first accounts the admin', async () => {
      expect(distinct).toEqual(Array(10).fill(303));
      const roles = await testApp.sql<{ role: string }[]>('SELECT role FROM users');
      expect(roles.filter((row) => row.role === 'admin')).toHaveLength(1);
      expect(roles).toHaveLength(10 + 1);
    });

    it('creates one account for one email, answering the others 409 (no 5xx)', () => {
      expect([...sameEmail].sort()).toEqual([303, ...Array(9).fill(409)]);
    });
  });

  describe('an organiser changing an event while people buy tickets for it', () => {
    let organiser: Browser;

    beforeAll(async () => {
      organiser = testApp.browser();
      await organiser.submit(
        '/register',
        { email: uniqueEmail(), password: PASSWORD, displayName: 'Olive Organiser' },
        '/register',
      );
    });

    /** 60 purchases of `ticketTypeId`, with `change` sent after the 30th has gone out. */
    async function purchasesAround(
      eventId: number,
      ticketTypeId: number,
      change: () => Promise<number>,
    ) {
      const buyers = await browsersOn(20, `/buy-tickets/${eventId}`);
      const purchases: Promise<number>[] = [];
      let changeStatus: Promise<number> = Promise.resolve(0);
      for (let i = 0; i < 60; i++) {
        const buyer = buyers[i % buyers.length];
        purchases.push(
          buyer.browser
            .post(`/purchase/${eventId}`, {
              _csrf: buyer.csrf,
              attendeeName: 'Racing Buyer',
              attendeeEmail: 'racer@example.com',
              [`quantities[${ticketTypeId}]`]: 1,
            })
            .then((res) => res.status),
        );
        if (i === 30) changeStatus = change();
      }
      return { purchases: await Promise.all(purchases), change: await changeStatus };
    }

    it('deletes the event before any booking, or refuses with 409 because of them: never a 5xx', async () => {
      for (let round = 0; round < 3; round++) {
        const eventId = await createEvent(testApp, organiser);
        const [type] = await ticketTypesOf(testApp, eventId);
        const csrf = await organiser.csrfToken('/organiser');
        const outcome = await purchasesAround(eventId, type.id, () =>
          organiser.post(`/delete-event/${eventId}`, { _csrf: csrf }).then((res) => res.status),
        );
        expect(outcome.purchases.filter((status) => status >= 500)).toEqual([]);
        expect([303, 409]).toContain(outcome.change);
        const bookings = await testApp.sql('SELECT id FROM bookings WHERE event_id = ?', [eventId]);
        if (outcome.change === 303) {
          expect(bookings).toEqual([]);
          expect(await testApp.sql('SELECT id FROM events WHERE id = ?', [eventId])).toEqual([]);
        } else {
          expect(bookings.length).toBeGreaterThan(0);
        }
      }
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('removes a ticket type before any booking of it, or refuses because of them: never a 5xx', async () => {
      for (let round = 0; round < 3; round++) {
        const eventId = await createEvent(testApp, organiser);
        const [kept, removed] = await ticketTypesOf(testApp, eventId);
        const csrf = await organiser.csrfToken(`/edit-event/${eventId}`);
        const outcome = await purchasesAround(eventId, removed.id, () =>
          organiser
            .post(`/edit-event/${eventId}`, {
              ...eventFields({ 'ticketTypes[0][id]': kept.id }),
              'ticketTypes[1][name]': '',
              'ticketTypes[1][price]': '',
              'ticketTypes[1][capacity]': '',
              _csrf: csrf,
            })
            .then((res) => res.status),
        );
        expect(outcome.purchases.filter((status) => status >= 500)).toEqual([]);
        expect([303, 422]).toContain(outcome.change);
        const types = await ticketTypesOf(testApp, eventId);
        const items = await testApp.sql('SELECT id FROM booking_items WHERE ticket_type_id = ?', [
          removed.id,
        ]);
        if (outcome.change === 303) {
          expect(types.map((type) => type.id)).toEqual([kept.id]);
          expect(items).toEqual([]);
        } else {
          expect(types.map((type) => type.id)).toEqual([kept.id, removed.id]);
          expect(items.length).toBeGreaterThan(0);
        }
      }
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });
  });
});
