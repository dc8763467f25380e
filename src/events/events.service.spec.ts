import { ConflictException, NotFoundException } from '@nestjs/common';
import { startTestServices, TestServices } from '../../test/support/test-app';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { EventDate } from './entities/event-date.entity';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';
import { EventCatalogService } from './event-catalog.service';
import { completeTicketTypes, EventInput } from './event-input';
import { EventChanges, EventsService } from './events.service';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

function input(overrides: EventChanges = {}): EventInput {
  const { ticketTypes, ...fields } = overrides;
  return {
    title: 'Jazz Night',
    description: 'An evening of jazz.',
    venue: 'The Blue Room',
    startsAt: inDays(30),
    maxTicketsPerType: 10,
    holdMinutes: 15,
    waitingListHours: 24,
    namePerTicket: false,
    endsAt: null,
    queueEnabled: false,
    onSaleAt: null,
    admissionPerMinute: 300,
    admissionMinutes: 10,
    ...fields,
    ticketTypes: completeTicketTypes(
      [],
      ticketTypes ?? [
        { name: 'Full price', priceCents: 2500, capacity: 100 },
        { name: 'Concession', priceCents: 1250, capacity: 50 },
      ],
    ),
  };
}

describe('EventsService and EventCatalogService (real SQLite database)', () => {
  let services: TestServices;
  let events: EventsService;
  let catalog: EventCatalogService;
  let alice: SessionUser;
  let bob: SessionUser;
  let admin: SessionUser;
  let bookingCounter = 0;

  async function createUser(email: string, role: 'organiser' | 'admin'): Promise<SessionUser> {
    await services.sql(
      'INSERT INTO users (email, password_hash, display_name, role) VALUES (?, ?, ?, ?)',
      [email, '$argon2id$not-a-real-hash', email, role],
    );
    const [{ id }] = await services.sql<{ id: number }[]>('SELECT id FROM users WHERE email = ?', [
      email,
    ]);
    // An organisation of its own, as registering makes.
    await services.sql('INSERT INTO organisations (name, founder_id) VALUES (?, ?)', [email, id]);
    const [organisation] = await services.sql<{ id: number }[]>(
      'SELECT id FROM organisations WHERE founder_id = ?',
      [id],
    );
    await services.sql(
      "INSERT INTO memberships (organisation_id, user_id, role) VALUES (?, ?, 'owner')",
      [organisation.id, id],
    );
    return {
      id: Number(id),
      email,
      displayName: email,
      role,
      organisation: { id: Number(organisation.id), name: email, role: 'owner' },
    };
  }

  const ticketTypes = (eventId: number) =>
    services.db
      .getRepository(TicketType)
      .find({ where: { eventId }, order: { sortOrder: 'ASC', id: 'ASC' } });
  const eventById = (id: number) => services.db.getRepository(Event).findOneBy({ id });
  /** Moves a one-date event's start, and its date's, as time passing would. */
  const moveStart = (id: number, startsAt: Date) =>
    services.write(async (manager) => {
      await manager.update(Event, { id }, { startsAt });
      await manager.update(EventDate, { eventId: id }, { startsAt });
    });

  /** Records a booking straight in the database, with `sold` kept equal to the booked quantity. */
  async function book(
    eventId: number,
    ticketType: TicketType,
    quantity: number,
    status = 'confirmed',
  ) {
    const reference = `REF${process.pid}${++bookingCounter}`;
    await services.sql(
      `INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status)
       VALUES (?, 'secret', ?, (SELECT MIN(id) FROM event_dates WHERE event_id = ?), 'Ada', 'ada@example.com', ?, ?)`,
      [reference, eventId, eventId, quantity * ticketType.priceCents, status],
    );
    const [{ id }] = await services.sql<{ id: number }[]>(
      'SELECT id FROM bookings WHERE reference = ?',
      [reference],
    );
    await services.sql(
      'INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)',
      [id, ticketType.id, quantity, ticketType.priceCents],
    );
    if (status === 'confirmed') {
      await services.sql('UPDATE ticket_types SET sold = sold + ? WHERE id = ?', [
        quantity,
        ticketType.id,
      ]);
      await services.sql('UPDATE date_inventory SET sold = sold + ? WHERE ticket_type_id = ?', [
        quantity,
        ticketType.id,
      ]);
    }
  }

  /** The submitted rows of an edit that keeps every ticket type as it is. */
  async function unchangedRows(eventId: number) {
    return (await ticketTypes(eventId)).map((type) => ({
      id: type.id,
      name: type.name,
      priceCents: type.priceCents,
      capacity: type.capacity,
    }));
  }

  async function expectFieldError(promise: Promise<unknown>, field: string) {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidFieldError);
    expect((error as InvalidFieldError).field).toBe(field);
  }

  beforeAll(async () => {
    services = await startTestServices();
    events = services.app.get(EventsService);
    catalog = services.app.get(EventCatalogService);
    admin = await createUser('admin@example.com', 'admin');
    alice = await createUser('alice@example.com', 'organiser');
    bob = await createUser('bob@example.com', 'organiser');
  });
  afterAll(() => services.close());

  describe('create', () => {
    it('stores a draft owned by the organiser, without publishedAt', async () => {
      const event = await events.create(alice, input({ title: 'Draft One' }));
      expect(await eventById(event.id)).toMatchObject({
        title: 'Draft One',
        organiserId: alice.id,
        status: 'draft',
        publishedAt: null,
      });
    });

    it('stores the ticket types with sort order, price in cents and nothing sold', async () => {
      const event = await events.create(alice, input());
      const types = await ticketTypes(event.id);
      expect(
        types.map(({ name, priceCents, capacity, sold, sortOrder }) => ({
          name,
          priceCents,
          capacity,
          sold,
          sortOrder,
        })),
      ).toEqual([
        { name: 'Full price', priceCents: 2500, capacity: 100, sold: 0, sortOrder: 0 },
        { name: 'Concession', priceCents: 1250, capacity: 50, sold: 0, sortOrder: 1 },
      ]);
    });

    it('refuses a start time in the past', async () => {
      await expectFieldError(events.create(alice, input({ startsAt: inDays(-1) })), 'startsAt');
    });

    it('refuses an event without ticket types and stores nothing', async () => {
      const [{ before }] = await services.sql<{ before: number }[]>(
        'SELECT COUNT(*) AS before FROM events',
      );
      await expectFieldError(events.create(alice, input({ ticketTypes: [] })), 'ticketTypes');
      const [{ after }] = await services.sql<{ after: number }[]>(
        'SELECT COUNT(*) AS after FROM events',
      );
      expect(Number(after)).toBe(Number(before));
    });
  });

  describe('findManageable', () => {
    it('gives an organiser their own event with its ticket types in order', async () => {
      const { id } = await events.create(alice, input());
      const event = await events.findManageable(alice, id);
      expect(event.id).toBe(id);
      expect(event.ticketTypes.map((type) => type.name)).toEqual(['Full price', 'Concession']);
    });

    it('throws NotFoundException for another organiser’s event', async () => {
      const { id } = await events.create(alice, input());
      await expect(events.findManageable(bob, id)).rejects.toBeInstanceOf(NotFoundException);
    });

    it('gives an admin any organiser’s event', async () => {
      const { id } = await events.create(bob, input());
      await expect(events.findManageable(admin, id)).resolves.toMatchObject({
        id,
        organiserId: bob.id,
      });
    });

    it('throws NotFoundException for an unknown id', async () => {
      await expect(events.findManageable(admin, 987654)).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe('pageOfManageable', () => {
    const idsOn = async (user: SessionUser, limit = 100, offset = 0) =>
      (await events.pageOfManageable(user, limit, offset)).events.map((event) => event.id);

    it('gives an organiser only their own events', async () => {
      const own = await events.create(alice, input({ title: 'Alice only' }));
      const foreign = await events.create(bob, input({ title: 'Bob only' }));
      const ids = await idsOn(alice);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(foreign.id);
      const { events: page } = await events.pageOfManageable(alice, 100, 0);
      expect(page.every((event) => event.organiserId === alice.id)).toBe(true);
    });

    it('gives an admin the events of every organiser', async () => {
      const own = await events.create(alice, input());
      const foreign = await events.create(bob, input());
      expect(await idsOn(admin)).toEqual(expect.arrayContaining([own.id, foreign.id]));
    });

    it('orders the events by start time, a page at a time, with how many there are in all', async () => {
      const user = await createUser('dora@example.com', 'organiser');
      const late = await events.create(user, input({ startsAt: inDays(50) }));
      const early = await events.create(user, input({ startsAt: inDays(5) }));
      const middle = await events.create(user, input({ startsAt: inDays(20) }));
      expect(await idsOn(user)).toEqual([early.id, middle.id, late.id]);
      expect(await idsOn(user, 2, 0)).toEqual([early.id, middle.id]);
      expect(await idsOn(user, 2, 2)).toEqual([late.id]);
      expect((await events.pageOfManageable(user, 2, 0)).total).toBe(3);
    });
  });

  describe('update', () => {
    it('saves the new event fields and ticket types', async () => {
      const { id } = await events.create(alice, input());
      const rows = await unchangedRows(id);
      rows[0] = { ...rows[0], priceCents: 3000, capacity: 120 };
      await events.update(
        alice,
        id,
        input({ title: 'Renamed', venue: 'Elsewhere', ticketTypes: rows }),
      );
      expect(await eventById(id)).toMatchObject({ title: 'Renamed', venue: 'Elsewhere' });
      expect((await ticketTypes(id))[0]).toMatchObject({
        id: rows[0].id,
        priceCents: 3000,
        capacity: 120,
      });
    });

    it('refuses a capacity below the tickets sold, at that row, and changes nothing', async () => {
      const { id } = await events.create(alice, input({ title: 'Before' }));
      const [fullPrice] = await ticketTypes(id);
      await book(id, fullPrice, 5);
      const rows = await unchangedRows(id);
      rows[0] = { ...rows[0], capacity: 4 };
      rows[1] = { ...rows[1], priceCents: 1 };
      await expectFieldError(
        events.update(alice, id, input({ title: 'After', ticketTypes: rows })),
        'ticketTypes.0.capacity',
      );
      expect((await eventById(id))!.title).toBe('Before');
      expect(
        (await ticketTypes(id)).map((type) => [type.capacity, type.sold, type.priceCents]),
      ).toEqual([
        [100, 5, 2500],
        [50, 0, 1250],
      ]);
    });

    it('allows a capacity equal to the tickets sold', async () => {
      const { id } = await events.create(alice, input());
      const [fullPrice] = await ticketTypes(id);
      await book(id, fullPrice, 5);
      const rows = await unchangedRows(id);
      rows[0] = { ...rows[0], capacity: 5 };
      await events.update(alice, id, input({ ticketTypes: rows }));
      expect((await ticketTypes(id))[0].capacity).toBe(5);
    });

    it('refuses to remove a ticket type that has sales', async () => {
      const { id } = await events.create(alice, input());
      const [, concession] = await ticketTypes(id);
      await book(id, concession, 1);
      const rows = (await unchangedRows(id)).slice(0, 1);
      await expectFieldError(events.update(alice, id, input({ ticketTypes: rows })), 'ticketTypes');
      expect(await ticketTypes(id)).toHaveLength(2);
    });

    it('refuses to remove a ticket type with only cancelled bookings (their items still point at it)', async () => {
      const { id } = await events.create(alice, input());
      const [, concession] = await ticketTypes(id);
      await book(id, concession, 1, 'cancelled');
      const rows = (await unchangedRows(id)).slice(0, 1);
      await expectFieldError(events.update(alice, id, input({ ticketTypes: rows })), 'ticketTypes');
    });

    it('removes a ticket type without sales and adds a new one', async () => {
      const { id } = await events.create(alice, input());
      const [fullPrice] = await unchangedRows(id);
      await events.update(
        alice,
        id,
        input({ ticketTypes: [fullPrice, { name: 'VIP', priceCents: 9900, capacity: 10 }] }),
      );
      expect(
        (await ticketTypes(id)).map((type) => [
          type.id === fullPrice.id,
          type.name,
          type.sortOrder,
        ]),
      ).toEqual([
        [true, 'Full price', 0],
        [false, 'VIP', 1],
      ]);
    });

    it('refuses a ticket type of another event', async () => {
      const { id } = await events.create(alice, input());
      const other = await events.create(alice, input());
      const [foreign] = await ticketTypes(other.id);
      const rows = await unchangedRows(id);
      rows[1] = { ...rows[1], id: foreign.id };
      await expectFieldError(
        events.update(alice, id, input({ ticketTypes: rows })),
        'ticketTypes.1.name',
      );
      expect((await ticketTypes(other.id))[0].name).toBe('Full price');
    });

    it('refuses the same ticket type twice', async () => {
      const { id } = await events.create(alice, input());
      const rows = await unchangedRows(id);
      rows[1] = { ...rows[1], id: rows[0].id };
      await expectFieldError(
        events.update(alice, id, input({ ticketTypes: rows })),
        'ticketTypes.1.name',
      );
      expect(await ticketTypes(id)).toHaveLength(2);
    });

    it('refuses moving the start time into the past', async () => {
      const { id } = await events.create(alice, input());
      await expectFieldError(
        events.update(
          alice,
          id,
          input({ startsAt: inDays(-1), ticketTypes: await unchangedRows(id) }),
        ),
        'startsAt',
      );
    });

    it('lets an event that has started keep its start time while other fields change', async () => {
      const { id } = await events.create(alice, input());
      const started = new Date(Date.now() - DAY);
      started.setSeconds(0, 0);
      await moveStart(id, started);
      await events.update(
        alice,
        id,
        input({ title: 'Typo fixed', startsAt: started, ticketTypes: await unchangedRows(id) }),
      );
      expect((await eventById(id))!.title).toBe('Typo fixed');
    });

    it('throws NotFoundException for another organiser’s event and changes nothing', async () => {
      const { id } = await events.create(bob, input({ title: 'Bob’s' }));
      await expect(
        events.update(alice, id, input({ title: 'Taken', ticketTypes: await unchangedRows(id) })),
      ).rejects.toBeInstanceOf(NotFoundException);
      expect((await eventById(id))!.title).toBe('Bob’s');
    });

    it('lets an admin edit any organiser’s event', async () => {
      const { id } = await events.create(bob, input());
      await events.update(
        admin,
        id,
        input({ title: 'Admin fixed', ticketTypes: await unchangedRows(id) }),
      );
      expect((await eventById(id))!.title).toBe('Admin fixed');
    });
  });

  describe('remove', () => {
    it('deletes the event and its ticket types', async () => {
      const { id } = await events.create(alice, input());
      await events.remove(alice, id);
      expect(await eventById(id)).toBeNull();
      expect(await ticketTypes(id)).toEqual([]);
    });

    it('refuses with ConflictException when there are confirmed bookings, and deletes nothing', async () => {
      const { id } = await events.create(alice, input());
      const [fullPrice] = await ticketTypes(id);
      await book(id, fullPrice, 1);
      await expect(events.remove(alice, id)).rejects.toBeInstanceOf(ConflictException);
      expect(await eventById(id)).not.toBeNull();
      expect(await ticketTypes(id)).toHaveLength(2);
    });

    it('deletes an event whose bookings are all cancelled, with those bookings', async () => {
      const { id } = await events.create(alice, input());
      const [fullPrice] = await ticketTypes(id);
      await book(id, fullPrice, 2, 'cancelled');
      await events.remove(alice, id);
      expect(await eventById(id)).toBeNull();
      const [{ count }] = await services.sql<{ count: number }[]>(
        'SELECT COUNT(*) AS count FROM bookings WHERE event_id = ?',
        [id],
      );
      expect(Number(count)).toBe(0);
    });

    it('throws NotFoundException for another organiser’s event and deletes nothing', async () => {
      const { id } = await events.create(bob, input());
      await expect(events.remove(alice, id)).rejects.toBeInstanceOf(NotFoundException);
      expect(await eventById(id)).not.toBeNull();
    });

    it('lets an admin delete any organiser’s event', async () => {
      const { id } = await events.create(bob, input());
      await events.remove(admin, id);
      expect(await eventById(id)).toBeNull();
    });
  });

  describe('publish', () => {
    it('publishes a draft and sets publishedAt to now', async () => {
      const { id } = await events.create(alice, input());
      const before = Date.now();
      await events.publish(alice, id);
      const event = (await eventById(id))!;
      expect(event.status).toBe('published');
      expect(event.publishedAt).toBeInstanceOf(Date);
      expect(event.publishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(event.publishedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('leaves publishedAt unchanged when publishing again', async () => {
      const { id } = await events.create(alice, input());
      await events.publish(alice, id);
      const first = (await eventById(id))!.publishedAt;
      await events.publish(alice, id);
      expect((await eventById(id))!.publishedAt).toEqual(first);
    });

    it('refuses with ConflictException to publish a draft that has already started', async () => {
      const { id } = await events.create(alice, input());
      await moveStart(id, inDays(-1));
      await expect(events.publish(alice, id)).rejects.toBeInstanceOf(ConflictException);
      expect((await eventById(id))!.status).toBe('draft');
    });

    it('throws NotFoundException for another organiser’s event and leaves it a draft', async () => {
      const { id } = await events.create(bob, input());
      await expect(events.publish(alice, id)).rejects.toBeInstanceOf(NotFoundException);
      expect((await eventById(id))!.status).toBe('draft');
    });
  });

  describe('catalog', () => {
    let draft: Event;
    let past: Event;
    let soon: Event;
    let later: Event;

    beforeAll(async () => {
      const carol = await createUser('carol@example.com', 'organiser');
      later = await events.create(carol, input({ title: 'Later', startsAt: inDays(9) }));
      soon = await events.create(carol, input({ title: 'Soon', startsAt: inDays(1) }));
      past = await events.create(carol, input({ title: 'Past', startsAt: inDays(2) }));
      draft = await events.create(carol, input({ title: 'Draft', startsAt: inDays(3) }));
      for (const event of [later, soon, past]) await events.publish(carol, event.id);
      await moveStart(past.id, inDays(-1));
    });

    const upcoming = async () => (await catalog.listUpcoming(1000)).events;

    it('lists published upcoming events', async () => {
      const ids = (await upcoming()).map((event) => event.id);
      expect(ids).toEqual(expect.arrayContaining([soon.id, later.id]));
    });

    it('leaves out drafts', async () => {
      const ids = (await upcoming()).map((event) => event.id);
      expect(ids).not.toContain(draft.id);
    });

    it('leaves out events that have started', async () => {
      const ids = (await upcoming()).map((event) => event.id);
      expect(ids).not.toContain(past.id);
    });

    it('lists only published events that start in the future', async () => {
      const listed = await upcoming();
      expect(listed.length).toBeGreaterThan(0);
      for (const event of listed) {
        expect(event.status).toBe('published');
        expect(event.startsAt.getTime()).toBeGreaterThan(Date.now());
      }
    });

    it('orders by start time, soonest first', async () => {
      const listed = await upcoming();
      const times = listed.map((event) => event.startsAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(listed.findIndex((event) => event.id === soon.id)).toBeLessThan(
        listed.findIndex((event) => event.id === later.id),
      );
    });

    it('returns one page of events and how many there are in all', async () => {
      const all = await upcoming();
      const first = await catalog.listUpcoming(1);
      expect(first.events.map((event) => event.id)).toEqual([all[0].id]);
      expect(first.total).toBe(all.length);
      const second = await catalog.listUpcoming(1, 1);
      expect(second.events.map((event) => event.id)).toEqual([all[1].id]);
      expect((await catalog.listUpcoming(1, all.length)).events).toEqual([]);
    });

    it('includes the ticket types in their sort order', async () => {
      const event = (await upcoming()).find((item) => item.id === soon.id)!;
      expect(event.ticketTypes.map((type) => type.name)).toEqual(['Full price', 'Concession']);
    });

    it('finds a published event by id', async () => {
      await expect(catalog.findPublished(soon.id)).resolves.toMatchObject({
        id: soon.id,
        title: 'Soon',
      });
    });

    it('treats a draft as not found', async () => {
      await expect(catalog.findPublished(draft.id)).rejects.toBeInstanceOf(NotFoundException);
    });

    it('treats an unknown id as not found', async () => {
      await expect(catalog.findPublished(987654)).rejects.toBeInstanceOf(NotFoundException);
    });
  });
});
