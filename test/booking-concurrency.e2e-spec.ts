import {
  Browser,
  createEvent,
  eventFields,
  hiddenField,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from './support/test-app';
import { SoldOutError } from '../src/bookings/booking.errors';
import { BookingService } from '../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../src/bookings/payment-plan';

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed exactly. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  status: number;
  location: string;
}

const SUCCESS = /^\/purchase\/success\?ref=[0-9A-Z]{10}$/;

describe('booking under concurrency', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let keyCounter = 0;
  const newKey = () => `concurrency-${process.pid}-${++keyCounter}`;

  beforeAll(async () => {
    testApp = await startTestApp();
    // One server already listening: supertest would otherwise start and stop it around concurrent requests.
    await testApp.app.listen(0);
    organiser = testApp.browser();
    await register(organiser);
  });
  afterAll(() => testApp.close());

  /** `count` buyers, each with its own session and CSRF token (taken from the buy form, as a browser would). */
  async function buyers(count: number, eventId: number) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const browser = testApp.browser();
        const page = await browser.get(`/buy-tickets/${eventId}`);
        return { browser, csrf: hiddenField(page.text, '_csrf') };
      }),
    );
  }

  function purchase(
    buyer: { browser: Browser; csrf: string },
    eventId: number,
    quantities: Record<number, number>,
    idempotencyKey = newKey(),
  ) {
    const fields: Record<string, string | number> = {
      _csrf: buyer.csrf,
      idempotencyKey,
      attendeeName: 'Rush Buyer',
      attendeeEmail: 'rush@example.com',
    };
    for (const [id, quantity] of Object.entries(quantities)) fields[`quantities[${id}]`] = quantity;
    return buyer.browser.post(`/purchase/${eventId}`, fields).then((res): Outcome => ({
      status: res.status,
      location: String(res.headers.location ?? ''),
    }));
  }

  const soldOf = async (eventId: number) =>
    (await ticketTypesOf(testApp, eventId)).map((type) => Number(type.sold));

  describe('500 simultaneous purchases over HTTP for 10 tickets (capacities 6 and 4)', () => {
    let eventId: number;
    let typeIds: number[];
    let outcomes: Outcome[];
    let orders: Record<number, number>[];
    let elapsedMs: number;
    let sessions: { browser: Browser; csrf: string }[];

    beforeAll(async () => {
      eventId = await createEvent(testApp, organiser, {
        title: 'The rush',
        'ticketTypes[0][capacity]': '6',
        'ticketTypes[1][capacity]': '4',
      });
      typeIds = (await ticketTypesOf(testApp, eventId)).map((type) => type.id);
      sessions = await buyers(50, eventId);
      const next = random(20240601);
      orders = Array.from({ length: 500 }, () => {
        const pick = next();
        if (pick < 0.4) return { [typeIds[0]]: 1 };
        if (pick < 0.8) return { [typeIds[1]]: 1 };
        return { [typeIds[0]]: 1, [typeIds[1]]: 1 };
      });
      const started = Date.now();
      outcomes = await Promise.all(
        orders.map((order, i) => purchase(sessions[i % 50], eventId, order)),
      );
      elapsedMs = Date.now() - started;
      const succeeded = outcomes.filter((outcome) => SUCCESS.test(outcome.location)).length;
      console.log(
        `500 HTTP purchases: ${elapsedMs} ms, ${succeeded} booked, ${outcomes.length - succeeded} refused, sold ${JSON.stringify(await soldOf(eventId))}`,
      );
    }, 120_000);

    it('answers no request with a 5xx', () => {
      expect(outcomes.filter((outcome) => outcome.status >= 500)).toEqual([]);
    });

    it('answers every request with 303 to the success page or to the sold-out page', () => {
      const soldOut = `/purchase/fail?reason=sold_out&event=${eventId}`;
      const unexpected = outcomes.filter(
        (outcome) =>
          outcome.status !== 303 ||
          !(SUCCESS.test(outcome.location) || outcome.location === soldOut),
      );
      expect(unexpected).toEqual([]);
    });

    it('sells exactly the 10 tickets there are, never beyond a type’s capacity', async () => {
      expect(await soldOf(eventId)).toEqual([6, 4]);
    });

    it('keeps sold equal to the sum of confirmed booking items', async () => {
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('stores exactly one booking for every success answered, with the quantities ordered', async () => {
      const references = outcomes
        .map((outcome, i) => ({
          ref: SUCCESS.test(outcome.location) ? outcome.location.slice(-10) : '',
          order: orders[i],
        }))
        .filter((entry) => entry.ref);
      const rows = await testApp.sql<
        { reference: string; ticket_type_id: number; quantity: number }[]
      >(
        `SELECT b.reference, bi.ticket_type_id, bi.quantity FROM bookings b JOIN booking_items bi ON bi.booking_id = b.id
          WHERE b.event_id = ? AND b.status = 'confirmed'`,
        [eventId],
      );
      const stored = new Map<string, Record<number, number>>();
      for (const row of rows)
        stored.set(row.reference, {
          ...stored.get(row.reference),
          [row.ticket_type_id]: row.quantity,
        });
      expect(new Set(references.map((entry) => entry.ref)).size).toBe(references.length);
      expect(stored.size).toBe(references.length);
      for (const { ref, order } of references) expect(stored.get(ref)).toEqual(order);
    });

    it('shows each buyer their booking on the success page afterwards (their session remembered it)', async () => {
      const successes = outcomes.flatMap((outcome, i) =>
        SUCCESS.test(outcome.location) ? [{ i, outcome }] : [],
      );
      const pages = await Promise.all(
        successes.map(({ i, outcome }) => sessions[i % 50].browser.get(outcome.location)),
      );
      expect(pages.map((page) => page.status)).toEqual(successes.map(() => 200));
    });

    it('finishes well within the time limit', () => {
      expect(elapsedMs).toBeLessThan(45_000);
    });
  });

  describe('1000 concurrent BookingService.book() calls (quantities 1 to 3) for 40 tickets', () => {
    let eventId: number;
    let typeIds: number[];
    let results: PromiseSettledResult<{ reference: string }>[];
    let orders: { ticketTypeId: number; quantity: number }[][];

    beforeAll(async () => {
      ({ eventId, ticketTypeIds: typeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 25 }, { capacity: 15 }],
      }));
      const service = testApp.app.get(BookingService);
      const next = random(7);
      const quantity = () => 1 + Math.floor(next() * 3);
      orders = Array.from({ length: 1000 }, (_, i) => {
        // The last calls ask for a single ticket of one type, so every ticket is surely sold.
        if (i >= 980) return [{ ticketTypeId: typeIds[i % 2], quantity: 1 }];
        const pick = next();
        if (pick < 0.4) return [{ ticketTypeId: typeIds[0], quantity: quantity() }];
        if (pick < 0.8) return [{ ticketTypeId: typeIds[1], quantity: quantity() }];
        return [
          { ticketTypeId: typeIds[0], quantity: quantity() },
          { ticketTypeId: typeIds[1], quantity: quantity() },
        ];
      });
      const started = Date.now();
      results = await Promise.allSettled(
        orders.map((lines, i) =>
          service.book(
            eventId,
            {
              attendeeName: `Buyer ${i}`,
              attendeeEmail: `buyer${i}@example.com`,
              lines,
              idempotency: i % 2 ? { key: newKey(), scope: 'service' } : undefined,
            },
            PAY_AT_THE_DOOR,
          ),
        ),
      );
      const booked = results.filter((result) => result.status === 'fulfilled').length;
      console.log(
        `1000 service bookings: ${Date.now() - started} ms, ${booked} booked, ${1000 - booked} refused`,
      );
    }, 120_000);

    it('fails no call with anything but SoldOutError', () => {
      const others = results.filter(
        (result) => result.status === 'rejected' && !(result.reason instanceof SoldOutError),
      );
      expect(others.map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
    });

    it('sells exactly the quantities of the successful calls, all 40 tickets and no more', async () => {
      const sold = [0, 0];
      results.forEach((result, i) => {
        if (result.status !== 'fulfilled') return;
        for (const line of orders[i]) sold[typeIds.indexOf(line.ticketTypeId)] += line.quantity;
      });
      expect(sold).toEqual([25, 15]);
      expect(await soldOf(eventId)).toEqual(sold);
    });

    it('keeps sold equal to the sum of confirmed booking items', async () => {
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });
  });

  describe('a double-submitted form', () => {
    it('books once when the same form is posted 20 times at once, and answers all with the same reference', async () => {
      const eventId = await createEvent(testApp, organiser, { title: 'Double click' });
      const [type] = await ticketTypesOf(testApp, eventId);
      const [buyer] = await buyers(1, eventId);
      const key = newKey();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => purchase(buyer, eventId, { [type.id]: 2 }, key)),
      );
      expect(new Set(outcomes.map((outcome) => `${outcome.status} ${outcome.location}`)).size).toBe(
        1,
      );
      expect(outcomes[0].location).toMatch(SUCCESS);
      const [{ n }] = await testApp.sql<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
        [eventId],
      );
      expect(Number(n)).toBe(1);
      expect((await soldOf(eventId))[0]).toBe(2);
    });

    it('answers all 20 submissions of one order for the last tickets with its booking, never "sold out"', async () => {
      const eventId = await createEvent(testApp, organiser, {
        title: 'Last two tickets',
        'ticketTypes[0][capacity]': '2',
      });
      const [type] = await ticketTypesOf(testApp, eventId);
      const [buyer] = await buyers(1, eventId);
      const key = newKey();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => purchase(buyer, eventId, { [type.id]: 2 }, key)),
      );
      expect(outcomes[0].location).toMatch(SUCCESS);
      expect(outcomes.filter((outcome) => outcome.location !== outcomes[0].location)).toEqual([]);
      const [{ n }] = await testApp.sql<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
        [eventId],
      );
      expect(Number(n)).toBe(1);
      expect((await soldOf(eventId))[0]).toBe(2);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('books for each of two browsers that race with a copy of the same form: a key belongs to its browser', async () => {
      const eventId = await createEvent(testApp, organiser, { title: 'Shared link' });
      const [type] = await ticketTypesOf(testApp, eventId);
      const [one, two] = await buyers(2, eventId);
      const key = newKey();
      const outcomes = await Promise.all([
        purchase(one, eventId, { [type.id]: 1 }, key),
        purchase(two, eventId, { [type.id]: 1 }, key),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([303, 303]);
      expect(outcomes[1].location).not.toBe(outcomes[0].location);
      expect((await soldOf(eventId))[0]).toBe(2);
    });
  });

  describe('purchases while other writes happen', () => {
    it('answers no purchase, edit or registration with a 5xx and keeps the invariant', async () => {
      const eventId = await createEvent(testApp, organiser, {
        title: 'Busy night',
        'ticketTypes[0][capacity]': '20',
        'ticketTypes[1][capacity]': '10',
      });
      const [first, second] = await ticketTypesOf(testApp, eventId);
      const sessions = await buyers(20, eventId);
      const editCsrf = await organiser.csrfToken(`/edit-event/${eventId}`);
      const edit = (round: number) =>
        organiser
          .post(`/edit-event/${eventId}`, {
            _csrf: editCsrf,
            title: `Busy night (edit ${round})`,
            description: 'Edited while selling.',
            venue: 'The Blue Room',
            startsAt: '2099-06-01T20:00',
            'ticketTypes[0][id]': first.id,
            'ticketTypes[0][name]': 'Full price',
            'ticketTypes[0][price]': '25.00',
            // Raising capacity while sales go on: sales must never slip past the capacity in force.
            'ticketTypes[0][capacity]': String(20 + round),
            'ticketTypes[1][id]': second.id,
            'ticketTypes[1][name]': 'Concession',
            'ticketTypes[1][price]': '12.50',
            'ticketTypes[1][capacity]': '10',
          })
          .then((res): Outcome => ({
            status: res.status,
            location: String(res.headers.location ?? ''),
          }));
      const registration = async () => {
        const browser = testApp.browser();
        const csrf = await browser.csrfToken('/register');
        const res = await browser.post('/register', {
          _csrf: csrf,
          email: uniqueEmail('busy'),
          password: 'correct horse battery',
          displayName: 'Busy Organiser',
        });
        return { status: res.status, location: String(res.headers.location ?? '') };
      };

      const purchases: Promise<Outcome>[] = [];
      const edits: Promise<Outcome>[] = [];
      const registrations: Promise<Outcome>[] = [];
      const creations: Promise<Outcome>[] = [];
      const next = random(99);
      // One organiser saves one edit after another (each raising the capacity), as a person
      // would; sent all at once they could commit out of order on PostgreSQL, and an older
      // edit lowering the capacity under what has been sold meanwhile is rightly refused.
      let lastEdit: Promise<unknown> = Promise.resolve();
      for (let i = 0; i < 200; i++) {
        const order =
          next() < 0.5
            ? { [first.id]: 1 + Math.floor(next() * 2) }
            : { [first.id]: 1, [second.id]: 1 };
        purchases.push(purchase(sessions[i % sessions.length], eventId, order));
        if (i % 20 === 0) {
          const round = i / 20 + 1;
          const saved = lastEdit.then(() => edit(round));
          edits.push(saved);
          lastEdit = saved;
        }
        if (i % 40 === 0) registrations.push(registration());
        if (i % 50 === 0) {
          creations.push(
            organiser
              .post('/create-event', {
                ...eventFields({ title: `Created meanwhile ${i}` }),
                _csrf: editCsrf,
              })
              .then((res): Outcome => ({
                status: res.status,
                location: String(res.headers.location ?? ''),
              })),
          );
        }
      }
      const [purchaseOutcomes, editOutcomes, registrationOutcomes, creationOutcomes] =
        await Promise.all([
          Promise.all(purchases),
          Promise.all(edits),
          Promise.all(registrations),
          Promise.all(creations),
        ]);

      const all = [
        ...purchaseOutcomes,
        ...editOutcomes,
        ...registrationOutcomes,
        ...creationOutcomes,
      ];
      expect(all.filter((outcome) => outcome.status >= 500)).toEqual([]);
      const statuses = (outcomes: Outcome[]) => outcomes.map((outcome) => outcome.status);
      expect(statuses(purchaseOutcomes).filter((status) => status !== 303)).toEqual([]);
      expect(
        editOutcomes.filter(
          (outcome) => outcome.status !== 303 || outcome.location !== '/organiser',
        ),
      ).toEqual([]);
      expect(statuses(registrationOutcomes)).toEqual(registrationOutcomes.map(() => 303));
      expect(statuses(creationOutcomes)).toEqual(creationOutcomes.map(() => 303));
      const types = await ticketTypesOf(testApp, eventId);
      for (const type of types) expect(type.sold).toBeLessThanOrEqual(type.capacity);
      // The last edit is in force, whole: its title goes with its capacity.
      const [{ title }] = await testApp.sql<{ title: string }[]>(
        'SELECT title FROM events WHERE id = ?',
        [eventId],
      );
      expect(title).toBe(`Busy night (edit ${edits.length})`);
      expect(types.map((type) => type.capacity)).toEqual([20 + edits.length, 10]);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    }, 120_000);
  });
});
