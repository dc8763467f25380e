import { NotFoundException } from '@nestjs/common';
import sqlite3 from 'sqlite3';
import {
  insertEvent,
  SeedEvent,
  soldMatchesBookedItems,
  startTestServices,
  TestServices,
  ticketTypesOf,
  writeSql,
  sqliteDateTime,
} from '../../test/support/test-app';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import type { DomainEvent } from '../domain-events/domain-event';
import { DomainEvents } from '../domain-events/domain-events.service';
import { newBookingReference, newBookingSecret } from './booking-reference';
import { storedIdempotencyKey } from './idempotency-scope';
import { SalesClosedError, SoldOutError } from './booking.errors';
import { BookingService } from './booking.service';
import { OrderInput, OrderLine } from './order-input';
import { PAY_AT_THE_DOOR } from './payment-plan';

const CROCKFORD_REFERENCE = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$/;

describe('BookingService (real SQLite database)', () => {
  let services: TestServices;
  let service: BookingService;
  let keyCounter = 0;
  const committed: DomainEvent[] = [];

  beforeAll(async () => {
    services = await startTestServices();
    service = services.app.get(BookingService);
    services.app.get(DomainEvents).onCommitted((event) => committed.push(event));
  });
  afterAll(() => services.close());

  const order = (lines: OrderLine[], extra: Partial<OrderInput> = {}): OrderInput => ({
    attendeeName: 'Ada Lovelace',
    attendeeEmail: 'ada@example.com',
    lines,
    ...extra,
  });
  const newKey = () => `service-key-${process.pid}-${++keyCounter}`;
  /** The domain events committed for a booking, in order: what mail, webhooks and the rest react to. */
  const eventsOf = async (reference: string) => {
    const { booking } = await storedBooking(reference);
    return committed
      .filter((event) => 'bookingId' in event && event.bookingId === booking?.id)
      .map((event) => `${event.type} to ${'attendeeEmail' in event ? event.attendeeEmail : ''}`);
  };
  /** An event with its ticket types; `sold` is reached through real bookings, so sold always matches the items. */
  const seed = async (overrides: Partial<SeedEvent> = {}) => {
    const ticketTypes = overrides.ticketTypes ?? [
      { name: 'Full price', priceCents: 2500, capacity: 10 },
      { name: 'Concession', priceCents: 1250, capacity: 5 },
    ];
    const status = overrides.status ?? 'published';
    const seeded = await insertEvent(services, {
      ...overrides,
      status: 'published',
      ticketTypes: ticketTypes.map((type) => ({ ...type, sold: 0 })),
    });
    for (const [index, type] of ticketTypes.entries()) {
      if (type.sold) {
        await service.book(
          seeded.eventId,
          order([{ ticketTypeId: seeded.ticketTypeIds[index], quantity: type.sold }]),
          PAY_AT_THE_DOOR,
        );
      }
    }
    if (status !== 'published') {
      await writeSql(services, 'UPDATE events SET status = ?, published_at = NULL WHERE id = ?', [
        status,
        seeded.eventId,
      ]);
    }
    return seeded;
  };
  const soldOf = async (eventId: number) =>
    (await ticketTypesOf(services, eventId)).map((type) => Number(type.sold));
  const bookingCount = async (eventId: number) =>
    Number(
      (
        await services.sql<{ n: number }[]>(
          'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
          [eventId],
        )
      )[0].n,
    );
  const storedBooking = async (reference: string) => {
    const [booking] = await services.sql<
      {
        id: number;
        event_id: number;
        total_cents: number;
        status: string;
        attendee_name: string;
        secret: string;
      }[]
    >(
      'SELECT id, event_id, total_cents, status, attendee_name, secret FROM bookings WHERE reference = ?',
      [reference],
    );
    const items = await services.sql<
      { ticket_type_id: number; quantity: number; unit_price_cents: number }[]
    >(
      'SELECT ticket_type_id, quantity, unit_price_cents FROM booking_items WHERE booking_id = ? ORDER BY ticket_type_id',
      [booking?.id ?? -1],
    );
    return { booking, items };
  };

  describe('book()', () => {
    it('announces the confirmed booking once it has committed', async () => {
      const { eventId, ticketTypeIds } = await seed();
      const { reference } = await service.book(
        eventId,
        order([{ ticketTypeId: ticketTypeIds[0], quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      expect(await eventsOf(reference)).toEqual(['booking.confirmed to ada@example.com']);
    });

    it('announces nothing for an order that is refused', async () => {
      const { eventId, ticketTypeIds } = await seed();
      const before = committed.length;
      await expect(
        service.book(
          eventId,
          order([{ ticketTypeId: ticketTypeIds[1], quantity: 6 }]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toThrow(SoldOutError);
      expect(committed.length).toBe(before);
    });

    it('announces one confirmation for a resubmitted order', async () => {
      const { eventId, ticketTypeIds } = await seed();
      const resubmitted = order([{ ticketTypeId: ticketTypeIds[0], quantity: 1 }], {
        idempotency: { key: newKey(), scope: 'spec' },
      });
      const { reference } = await service.book(eventId, resubmitted, PAY_AT_THE_DOOR);
      await service.book(eventId, resubmitted, PAY_AT_THE_DOOR);
      expect(await eventsOf(reference)).toEqual(['booking.confirmed to ada@example.com']);
    });

    it('books every line of an order in one confirmed booking with its items', async () => {
      const {
        eventId,
        ticketTypeIds: [full, concession],
      } = await seed();
      const result = await service.book(
        eventId,
        order([
          { ticketTypeId: full, quantity: 2 },
          { ticketTypeId: concession, quantity: 3 },
        ]),
        PAY_AT_THE_DOOR,
      );
      const { booking, items } = await storedBooking(result.reference);
      expect(result.replayed).toBe(false);
      expect(booking).toMatchObject({
        event_id: eventId,
        status: 'confirmed',
        attendee_name: 'Ada Lovelace',
      });
      expect(items).toEqual([
        { ticket_type_id: full, quantity: 2, unit_price_cents: 2500 },
        { ticket_type_id: concession, quantity: 3, unit_price_cents: 1250 },
      ]);
    });

    it('adds each line to its ticket type’s sold count', async () => {
      const {
        eventId,
        ticketTypeIds: [full, concession],
      } = await seed();
      await service.book(
        eventId,
        order([
          { ticketTypeId: full, quantity: 2 },
          { ticketTypeId: concession, quantity: 3 },
        ]),
        PAY_AT_THE_DOOR,
      );
      expect(await soldOf(eventId)).toEqual([2, 3]);
      expect(await soldMatchesBookedItems(services)).toBe(true);
    });

    it('charges the sum of quantity times the stored unit price', async () => {
      const {
        eventId,
        ticketTypeIds: [full, concession],
      } = await seed();
      const result = await service.book(
        eventId,
        order([
          { ticketTypeId: concession, quantity: 1 },
          { ticketTypeId: full, quantity: 3 },
        ]),
        PAY_AT_THE_DOOR,
      );
      expect((await storedBooking(result.reference)).booking.total_cents).toBe(3 * 2500 + 1 * 1250);
    });

    it('sells the very last tickets of a type', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ ticketTypes: [{ capacity: 3, sold: 1 }] });
      await service.book(eventId, order([{ ticketTypeId: full, quantity: 2 }]), PAY_AT_THE_DOOR);
      expect(await soldOf(eventId)).toEqual([3]);
    });

    it('refuses an order for more tickets than are left with SoldOutError and books nothing', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ ticketTypes: [{ capacity: 3, sold: 2 }] });
      const bookingsBefore = await bookingCount(eventId);
      await expect(
        service.book(eventId, order([{ ticketTypeId: full, quantity: 2 }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(SoldOutError);
      expect(await soldOf(eventId)).toEqual([2]);
      expect(await bookingCount(eventId)).toBe(bookingsBefore);
    });

    it('books nothing when the second line of an order is short, not even the first line', async () => {
      const {
        eventId,
        ticketTypeIds: [plenty, short],
      } = await seed({
        ticketTypes: [{ capacity: 10 }, { capacity: 2, sold: 1 }],
      });
      const bookingsBefore = await bookingCount(eventId);
      await expect(
        service.book(
          eventId,
          order([
            { ticketTypeId: plenty, quantity: 4 },
            { ticketTypeId: short, quantity: 2 },
          ]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(SoldOutError);
      expect(await soldOf(eventId)).toEqual([0, 1]);
      expect(await bookingCount(eventId)).toBe(bookingsBefore);
    });

    it('books nothing when the first line of an order is short, not even the second line', async () => {
      const {
        eventId,
        ticketTypeIds: [short, plenty],
      } = await seed({
        ticketTypes: [{ capacity: 2, sold: 2 }, { capacity: 10 }],
      });
      const bookingsBefore = await bookingCount(eventId);
      await expect(
        service.book(
          eventId,
          order([
            { ticketTypeId: plenty, quantity: 1 },
            { ticketTypeId: short, quantity: 1 },
          ]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(SoldOutError);
      expect(await soldOf(eventId)).toEqual([2, 0]);
      expect(await bookingCount(eventId)).toBe(bookingsBefore);
    });

    it('keeps booking normally after a refused order was rolled back', async () => {
      const {
        eventId,
        ticketTypeIds: [plenty, short],
      } = await seed({
        ticketTypes: [{ capacity: 10 }, { capacity: 1, sold: 1 }],
      });
      await expect(
        service.book(
          eventId,
          order([
            { ticketTypeId: plenty, quantity: 1 },
            { ticketTypeId: short, quantity: 1 },
          ]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(SoldOutError);
      await service.book(eventId, order([{ ticketTypeId: plenty, quantity: 1 }]), PAY_AT_THE_DOOR);
      expect(await soldOf(eventId)).toEqual([1, 1]);
      expect(await soldMatchesBookedItems(services)).toBe(true);
    });

    it('refuses a ticket type of another event with InvalidFieldError and sells nothing of either event', async () => {
      const mine = await seed();
      const other = await seed();
      const booking = service.book(
        mine.eventId,
        order([
          { ticketTypeId: mine.ticketTypeIds[0], quantity: 1 },
          { ticketTypeId: other.ticketTypeIds[0], quantity: 1 },
        ]),
        PAY_AT_THE_DOOR,
      );
      await expect(booking).rejects.toBeInstanceOf(InvalidFieldError);
      await expect(booking).rejects.toMatchObject({ field: 'quantities' });
      expect(await soldOf(mine.eventId)).toEqual([0, 0]);
      expect(await soldOf(other.eventId)).toEqual([0, 0]);
    });

    it('refuses a ticket type id that does not exist with InvalidFieldError', async () => {
      const { eventId } = await seed();
      await expect(
        service.book(eventId, order([{ ticketTypeId: 987_654_321, quantity: 1 }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(InvalidFieldError);
      expect(await bookingCount(eventId)).toBe(0);
    });

    it('refuses an order without any line with InvalidFieldError', async () => {
      const { eventId } = await seed();
      await expect(service.book(eventId, order([]), PAY_AT_THE_DOOR)).rejects.toBeInstanceOf(
        InvalidFieldError,
      );
      expect(await bookingCount(eventId)).toBe(0);
    });

    it('refuses an order naming the same ticket type twice with InvalidFieldError', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      await expect(
        service.book(
          eventId,
          order([
            { ticketTypeId: full, quantity: 1 },
            { ticketTypeId: full, quantity: 1 },
          ]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(InvalidFieldError);
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['fractional', 1.5],
      ['not a number', Number.NaN],
    ])('refuses a %s quantity with InvalidFieldError', async (_label, quantity) => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      await expect(
        service.book(eventId, order([{ ticketTypeId: full, quantity }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(InvalidFieldError);
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it('allows up to the default limit of 10 tickets of one type in one booking', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ ticketTypes: [{ capacity: 50 }] });
      await service.book(eventId, order([{ ticketTypeId: full, quantity: 10 }]), PAY_AT_THE_DOOR);
      expect(await soldOf(eventId)).toEqual([10]);
    });

    it('refuses 11 tickets of one type under the default limit of 10, naming the limit', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ ticketTypes: [{ capacity: 50 }] });
      await expect(
        service.book(eventId, order([{ ticketTypeId: full, quantity: 11 }]), PAY_AT_THE_DOOR),
      ).rejects.toThrow(/1 to 10 tickets/);
      expect(await soldOf(eventId)).toEqual([0]);
    });

    it('applies the event’s own per-type limit', async () => {
      const {
        eventId,
        ticketTypeIds: [full, concession],
      } = await seed({ maxTicketsPerType: 3 });
      await expect(
        service.book(
          eventId,
          order([
            { ticketTypeId: full, quantity: 3 },
            { ticketTypeId: concession, quantity: 4 },
          ]),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(InvalidFieldError);
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it('refuses a draft event with NotFoundException', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ status: 'draft' });
      await expect(
        service.book(eventId, order([{ ticketTypeId: full, quantity: 1 }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(NotFoundException);
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it('refuses an unknown event with NotFoundException', async () => {
      const {
        ticketTypeIds: [full],
      } = await seed();
      await expect(
        service.book(987_654_321, order([{ ticketTypeId: full, quantity: 1 }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(NotFoundException);
    });

    it('refuses an event that has already started with SalesClosedError', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const started = sqliteDateTime(new Date(Date.now() - 60_000));
      await writeSql(services, 'UPDATE events SET starts_at = ? WHERE id = ?', [started, eventId]);
      await writeSql(services, 'UPDATE event_dates SET starts_at = ? WHERE event_id = ?', [
        started,
        eventId,
      ]);
      await expect(
        service.book(eventId, order([{ ticketTypeId: full, quantity: 1 }]), PAY_AT_THE_DOOR),
      ).rejects.toBeInstanceOf(SalesClosedError);
      expect(await soldOf(eventId)).toEqual([0, 0]);
      expect(await bookingCount(eventId)).toBe(0);
    });

    it('waits for a write on another connection to the database file instead of failing', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      // Another connection (like the session store's) holds the write lock for a moment, then commits.
      const other = await new Promise<sqlite3.Database>((resolve, reject) => {
        const db: sqlite3.Database = new sqlite3.Database(
          String(services.db.options.database),
          (error) => (error ? reject(error) : resolve(db)),
        );
      });
      const exec = (sql: string) =>
        new Promise<void>((resolve, reject) =>
          other.exec(sql, (error) => (error ? reject(error) : resolve())),
        );
      await exec("BEGIN IMMEDIATE; UPDATE site_settings SET name = name || '' WHERE id = 1");
      // The other connection commits once the booking's BEGIN IMMEDIATE has gone to SQLite (ahead
      // of the COMMIT in the thread pool's queue), so that BEGIN meets the lock and must wait.
      const all = sqlite3.Database.prototype.all;
      const beginSent = new Promise<void>((resolve) => {
        jest.spyOn(sqlite3.Database.prototype, 'all').mockImplementation(function (
          this: sqlite3.Database,
          sql: string,
          ...args: unknown[]
        ) {
          if (sql.startsWith('BEGIN IMMEDIATE')) resolve();
          return all.call(this, sql, ...(args as []));
        });
      });
      const booking = service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      await beginSent;
      jest.restoreAllMocks();
      await exec('COMMIT');
      await Promise.allSettled([booking]);
      await new Promise((resolve) => other.close(resolve));
      await expect(booking).resolves.toMatchObject({ replayed: false });
      expect(await soldOf(eventId)).toEqual([1, 0]);
    });

    it('stores the idempotency key with the booking, hashed together with whose key it is', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const key = newKey();
      const result = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      const [row] = await services.sql<{ reference: string }[]>(
        'SELECT reference FROM bookings WHERE idempotency_key = ?',
        [storedIdempotencyKey({ key, scope: 'spec' })],
      );
      expect(row.reference).toBe(result.reference);
    });

    it('books anew for the same key from another sender', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const key = newKey();
      const lines = [{ ticketTypeId: full, quantity: 1 }];
      const mine = await service.book(
        eventId,
        order(lines, { idempotency: { key, scope: 'me' } }),
        PAY_AT_THE_DOOR,
      );
      const theirs = await service.book(
        eventId,
        order(lines, { idempotency: { key, scope: 'someone else' } }),
        PAY_AT_THE_DOOR,
      );
      expect(theirs.replayed).toBe(false);
      expect(theirs.reference).not.toBe(mine.reference);
    });

    it('returns the first booking, marked replayed, when the same idempotency key comes again', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const key = newKey();
      const first = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 2 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      const again = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 2 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      expect(again).toEqual({ ...first, replayed: true });
      expect(await bookingCount(eventId)).toBe(1);
      expect(await soldOf(eventId)).toEqual([2, 0]);
    });

    it('books once for the same idempotency key submitted concurrently', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const key = newKey();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          service.book(
            eventId,
            order([{ ticketTypeId: full, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
            PAY_AT_THE_DOOR,
          ),
        ),
      );
      expect(new Set(results.map((result) => result.reference)).size).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(await bookingCount(eventId)).toBe(1);
      expect(await soldOf(eventId)).toEqual([1, 0]);
    });

    it('replays a booking by its key even after the tickets have sold out', async () => {
      const {
        eventId,
        ticketTypeIds: [only],
      } = await seed({ ticketTypes: [{ capacity: 1 }] });
      const key = newKey();
      const first = await service.book(
        eventId,
        order([{ ticketTypeId: only, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      const again = await service.book(
        eventId,
        order([{ ticketTypeId: only, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      expect(again.reference).toBe(first.reference);
      expect(again.replayed).toBe(true);
    });

    it('does not use up an idempotency key on an order that was refused as sold out', async () => {
      const {
        eventId,
        ticketTypeIds: [only],
      } = await seed({ ticketTypes: [{ capacity: 2, sold: 2 }] });
      const key = newKey();
      await expect(
        service.book(
          eventId,
          order([{ ticketTypeId: only, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
          PAY_AT_THE_DOOR,
        ),
      ).rejects.toBeInstanceOf(SoldOutError);
      await writeSql(services, 'UPDATE ticket_types SET capacity = 3 WHERE id = ?', [only]);
      await writeSql(services, 'UPDATE date_inventory SET capacity = 3 WHERE ticket_type_id = ?', [
        only,
      ]);
      const retry = await service.book(
        eventId,
        order([{ ticketTypeId: only, quantity: 1 }], { idempotency: { key, scope: 'spec' } }),
        PAY_AT_THE_DOOR,
      );
      expect(retry.replayed).toBe(false);
      expect(await soldOf(eventId)).toEqual([3]);
    });

    it('books twice for two orders without an idempotency key', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const one = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      const two = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      expect(one.reference).not.toBe(two.reference);
      expect(await bookingCount(eventId)).toBe(2);
    });

    it('gives each booking a 10-character Crockford base32 reference', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed({ ticketTypes: [{ capacity: 100 }] });
      const references = await Promise.all(
        Array.from({ length: 20 }, () =>
          service.book(eventId, order([{ ticketTypeId: full, quantity: 1 }]), PAY_AT_THE_DOOR),
        ),
      ).then((results) => results.map((result) => result.reference));
      for (const reference of references) expect(reference).toMatch(CROCKFORD_REFERENCE);
      expect(new Set(references).size).toBe(references.length);
    });

    it('stores a secret of at least 128 random bits that is not derived from the reference', async () => {
      const {
        eventId,
        ticketTypeIds: [full],
      } = await seed();
      const result = await service.book(
        eventId,
        order([{ ticketTypeId: full, quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      const { booking } = await storedBooking(result.reference);
      expect(booking.secret).toBe(result.secret);
      expect(result.secret).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(Buffer.from(result.secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect(result.secret).not.toContain(result.reference);
    });
  });

  describe('references and secrets', () => {
    it('draws references only from the Crockford alphabet (no I, L, O or U)', () => {
      const seen = new Set(Array.from({ length: 2000 }, newBookingReference).join(''));
      expect([...seen].filter((char) => 'ILOU'.includes(char))).toEqual([]);
      expect(seen.size).toBe(32);
    });

    it('never repeats a reference or a secret in 10,000 draws', () => {
      const references = Array.from({ length: 10_000 }, newBookingReference);
      const secrets = Array.from({ length: 10_000 }, newBookingSecret);
      expect(new Set(references).size).toBe(10_000);
      expect(new Set(secrets).size).toBe(10_000);
    });
  });

  describe('findVisible()', () => {
    let reference: string;
    let secret: string;
    let eventId: number;
    let ticketTypeIds: number[];

    beforeAll(async () => {
      ({ eventId, ticketTypeIds } = await seed());
      ({ reference, secret } = await service.book(
        eventId,
        order(
          [
            { ticketTypeId: ticketTypeIds[0], quantity: 2 },
            { ticketTypeId: ticketTypeIds[1], quantity: 1 },
          ],
          { attendeeName: 'Grace Hopper', attendeeEmail: 'grace@example.com' },
        ),
        PAY_AT_THE_DOOR,
      ));
    });

    it('shows a booking to the session that made it, without its secret', async () => {
      const details = await service.findVisible(reference, {
        sessionReferences: ['OTHERREF00', reference],
      });
      expect(details).toMatchObject({
        reference,
        eventId,
        attendeeName: 'Grace Hopper',
        attendeeEmail: 'grace@example.com',
        status: 'confirmed',
        totalCents: 2 * 2500 + 1250,
      });
    });

    it('lists the items with their names, quantities and unit prices', async () => {
      const details = await service.findVisible(reference, { secret });
      expect(details.items).toEqual([
        { ticketTypeId: ticketTypeIds[0], name: 'Full price', quantity: 2, unitPriceCents: 2500 },
        { ticketTypeId: ticketTypeIds[1], name: 'Concession', quantity: 1, unitPriceCents: 1250 },
      ]);
    });

    it('shows a booking to anyone with its secret', async () => {
      await expect(service.findVisible(reference, { secret })).resolves.toMatchObject({
        reference,
      });
    });

    it('hides a booking from a visitor with neither the session nor the secret', async () => {
      await expect(service.findVisible(reference, {})).rejects.toBeInstanceOf(NotFoundException);
    });

    it('hides a booking from a session that only made other bookings', async () => {
      await expect(
        service.findVisible(reference, { sessionReferences: ['OTHERREF00', 'ANOTHER000'] }),
      ).rejects.toBeInstanceOf(NotFoundException);
    });

    it.each([
      ['a wrong secret', 'x'.repeat(24)],
      ['an empty secret', ''],
      ['the secret minus its last character', 'SECRET-MINUS-ONE'],
      ['a secret given twice (array)', ['SECRET', 'SECRET']],
      ['a number', 42],
    ])('hides a booking from a visitor with %s', async (_label, given) => {
      const attempt =
        given === 'SECRET-MINUS-ONE'
          ? secret.slice(0, -1)
          : Array.isArray(given)
            ? given.map(() => secret)
            : given;
      await expect(service.findVisible(reference, { secret: attempt })).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });

    it('hides a booking from a visitor using the secret of another booking', async () => {
      const other = await service.book(
        eventId,
        order([{ ticketTypeId: ticketTypeIds[0], quantity: 1 }]),
        PAY_AT_THE_DOOR,
      );
      await expect(service.findVisible(reference, { secret: other.secret })).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });

    it.each([
      ['an unknown reference', 'ZZZZZZZZZZ'],
      ['a lower-case reference', 'lowercase1'],
      ['a reference with SQL in it', "' OR 1=1 --"],
      ['no reference', undefined],
      ['an array of references', ['A', 'B']],
    ])('answers NotFoundException for %s', async (_label, given) => {
      await expect(
        service.findVisible(given, { secret, sessionReferences: [reference] }),
      ).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe('cancel()', () => {
    const organiser = (id: number): SessionUser => ({
      id,
      email: `organiser-${id}@example.com`,
      displayName: 'Olive Organiser',
      role: 'organiser',
    });
    const admin: SessionUser = {
      id: -1,
      email: 'admin@example.com',
      displayName: 'Ada Admin',
      role: 'admin',
    };
    const organiserOf = async (eventId: number) =>
      Number(
        (
          await services.sql<{ organiser_id: number }[]>(
            'SELECT organiser_id FROM events WHERE id = ?',
            [eventId],
          )
        )[0].organiser_id,
      );
    /** An event with 10 and 5 tickets, and a booking of 2 + 1 of them. */
    const booked = async () => {
      const { eventId, ticketTypeIds } = await seed();
      const result = await service.book(
        eventId,
        order([
          { ticketTypeId: ticketTypeIds[0], quantity: 2 },
          { ticketTypeId: ticketTypeIds[1], quantity: 1 },
        ]),
        PAY_AT_THE_DOOR,
      );
      return { eventId, ...result };
    };

    it('marks the booking cancelled with the time it was cancelled', async () => {
      const { reference, secret } = await booked();
      const before = Date.now();
      const details = await service.cancel(reference, { secret });
      expect(details.status).toBe('cancelled');
      expect(details.cancelledAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect((await storedBooking(reference)).booking.status).toBe('cancelled');
    });

    it('returns every item of the booking to sale', async () => {
      const { eventId, reference, secret } = await booked();
      expect(await soldOf(eventId)).toEqual([2, 1]);
      await service.cancel(reference, { secret });
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it('returns the tickets only once when the booking is cancelled twice', async () => {
      const { eventId, reference, secret } = await booked();
      await service.cancel(reference, { secret });
      const again = await service.cancel(reference, { secret });
      expect(again.status).toBe('cancelled');
      expect(await soldOf(eventId)).toEqual([0, 0]);
      expect(await soldMatchesBookedItems(services)).toBe(true);
    });

    it('announces one cancellation when two cancels of one booking race', async () => {
      const { reference, secret } = await booked();
      await Promise.all([
        service.cancel(reference, { secret }),
        service.cancel(reference, { secret }),
      ]);
      await service.cancel(reference, { secret });
      expect(await eventsOf(reference)).toEqual([
        'booking.confirmed to ada@example.com',
        'booking.cancelled to ada@example.com',
      ]);
    });

    it('returns the tickets only once when two cancels of one booking race', async () => {
      const { eventId, reference, secret } = await booked();
      await Promise.all([
        service.cancel(reference, { secret }),
        service.cancel(reference, { secret }),
      ]);
      expect(await soldOf(eventId)).toEqual([0, 0]);
    });

    it('keeps the first cancellation time when cancelled again', async () => {
      const { reference, secret } = await booked();
      const first = await service.cancel(reference, { secret });
      const second = await service.cancel(reference, { secret });
      expect(second.cancelledAt).toEqual(first.cancelledAt);
    });

    it('lets the organiser of the event cancel without the secret', async () => {
      const { eventId, reference } = await booked();
      const details = await service.cancel(reference, {
        user: organiser(await organiserOf(eventId)),
      });
      expect(details.status).toBe('cancelled');
    });

    it('lets an admin cancel any booking', async () => {
      const { reference } = await booked();
      expect((await service.cancel(reference, { user: admin })).status).toBe('cancelled');
    });

    it('refuses another organiser with NotFoundException and changes nothing', async () => {
      const { eventId, reference } = await booked();
      const other = organiser((await organiserOf(eventId)) + 1000);
      await expect(service.cancel(reference, { user: other })).rejects.toBeInstanceOf(
        NotFoundException,
      );
      expect((await storedBooking(reference)).booking.status).toBe('confirmed');
      expect(await soldOf(eventId)).toEqual([2, 1]);
    });

    it('refuses the organiser when the booking is not of the event named', async () => {
      const { eventId, reference } = await booked();
      const user = organiser(await organiserOf(eventId));
      await expect(
        service.cancel(reference, { user, eventId: eventId + 1000 }),
      ).rejects.toBeInstanceOf(NotFoundException);
      expect((await storedBooking(reference)).booking.status).toBe('confirmed');
    });

    it.each([
      ['a wrong secret', 'not-the-secret'],
      ['no secret', undefined],
      ['an array of secrets', ['a', 'b']],
    ])('refuses %s with NotFoundException and changes nothing', async (_label, given) => {
      const { eventId, reference } = await booked();
      await expect(service.cancel(reference, { secret: given })).rejects.toBeInstanceOf(
        NotFoundException,
      );
      expect(await soldOf(eventId)).toEqual([2, 1]);
    });

    it('answers NotFoundException for an unknown reference', async () => {
      await expect(service.cancel('ZZZZZZZZZZ', { user: admin })).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });
});
