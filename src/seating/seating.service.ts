import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThanOrEqual, Not, Repository } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { DateInventory } from '../events/entities/date-inventory.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import { EventsService } from '../events/events.service';
import { followAvailability } from './date-seats';
import { DateSeat } from './entities/date-seat.entity';
import { SeatingSection } from './entities/seating-section.entity';
import { Seat } from './entities/seat.entity';
import { MapInput, MapPlan, PlannedSeat, planMap, StoredSeat } from './map-plan';
import { countSeats, MapSection, readEditableMap, readSeatMap, SeatCounts } from './seat-map';

/** Most seat-and-date rows one event may have (a map's seats times the event's dates). */
export const MAX_DATE_SEATS = 500_000;

/** An event's seat map on one of its dates. */
export interface SeatingOnDate {
  eventId: number;
  dateId: number;
  sections: MapSection[];
}

/** Reserved seating's map: read on a date, replaced whole by the event's organiser. */
@Injectable()
export class SeatingService {
  constructor(
    @InjectRepository(Seat) private readonly seats: Repository<Seat>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** The map on `dateId` (none: the event's next scheduled date, else its last). */
  async mapFor(user: SessionUser, eventId: number, dateId?: number): Promise<SeatingOnDate> {
    const { date, sections } = await this.onDate(user, eventId, dateId);
    return { eventId, dateId: date.id, sections };
  }

  /** The event (the user's to manage, else 404) and its map on `dateId` as `mapFor` finds it. */
  async onDate(user: SessionUser, eventId: number, dateId?: number) {
    const event = await this.events.findManageable(user, eventId);
    const manager = this.seats.manager;
    const date = await dateOf(manager, eventId, dateId);
    return { event, date, sections: await readSeatMap(manager, eventId, date.id) };
  }

  /**
   * What the dashboard shows of `eventIds`' seating: for each event with a seat map, its next
   * scheduled date (else its last) and its seats counted by status on it.
   */
  async seatsOnNextDates(
    eventIds: number[],
  ): Promise<Map<number, { startsAt: Date; counts: SeatCounts }>> {
    const manager = this.seats.manager;
    const seated =
      eventIds.length === 0
        ? []
        : await manager
            .createQueryBuilder(Seat, 'seat')
            .select('DISTINCT seat.event_id', 'eventId')
            .where('seat.event_id IN (:...eventIds)', { eventIds })
            .getRawMany<{ eventId: number }>();
    return new Map(
      await Promise.all(
        seated.map(async ({ eventId }) => {
          const date = await dateOf(manager, Number(eventId), undefined);
          const counts = await countSeats(manager, Number(eventId), date.id);
          return [Number(eventId), { startsAt: date.startsAt, counts }] as const;
        }),
      ),
    );
  }

  /** The map buyers pick from on one of the event's dates (no seats: none). */
  forSale(eventId: number, dateId: number): Promise<MapSection[]> {
    return readSeatMap(this.seats.manager, eventId, dateId);
  }

  /**
   * Replaces the event's map, all or nothing, under the event's exclusive lock (no booking is in
   * flight). Seats kept keep their bookings; a seat with a booking on any date cannot be removed,
   * change its ticket type or become unavailable (409). Each seated ticket type's capacity
   * becomes its available seats.
   */
  replace(user: SessionUser, eventId: number, input: MapInput): Promise<void> {
    return this.edit(user, eventId, () => input);
  }

  /**
   * What the organiser's editor shows: the event, its map as edited (every seat with its id and
   * whether it is on sale), and the map as it sells on the next date.
   */
  async forEditor(user: SessionUser, eventId: number) {
    const event = await this.events.findManageable(user, eventId);
    const manager = this.seats.manager;
    const date = await dateOf(manager, eventId, undefined);
    return {
      event,
      map: await readEditableMap(manager, eventId),
      onSale: await readSeatMap(manager, eventId, date.id),
    };
  }

  /**
   * Changes the map (one of the editor's steps: `change` gets the map as stored), read and
   * written in one transaction under the event's exclusive lock, so two edits at once apply one
   * after the other. As `replace` otherwise.
   */
  async edit(
    user: SessionUser,
    eventId: number,
    change: (map: MapInput) => MapInput,
  ): Promise<void> {
    const event = await this.events.findManageable(user, eventId);
    await this.transactions.run(async (manager) => {
      await lockRow(manager, Event, eventId, 'exclusive');
      const input = change(await readEditableMap(manager, eventId));
      const types = await manager.findBy(TicketType, { eventId });
      const stored = await storedSeats(manager, eventId);
      const plan = planMap(input, stored, new Set(types.map((type) => type.id)));
      await assertFits(manager, eventId, plan);
      await assertBookedSeatsKept(manager, plan, stored);
      assertSeatedBeforeSold(plan, types);
      await writeMap(manager, eventId, input, plan, stored);
      await capacityFromSeats(manager, types);
      await this.auditLog.record(
        manager,
        user,
        'event.seating.changed',
        eventSubject(event),
        `${plan.seats.length} seats`,
      );
      // New seats get their row on every date as this is recorded (SeatedDates).
      await this.domainEvents.record(manager, { type: 'event.changed', eventId });
    });
  }
}

/** One of the event's dates: the one asked for (404 otherwise), or the next scheduled one. */
async function dateOf(
  manager: EntityManager,
  eventId: number,
  dateId: number | undefined,
): Promise<EventDate> {
  if (dateId !== undefined) {
    const date = await manager.findOneBy(EventDate, { id: dateId, eventId });
    if (!date) throw new NotFoundException('No such date of this event.');
    return date;
  }
  const next = await manager.findOne(EventDate, {
    where: { eventId, status: 'scheduled', startsAt: MoreThanOrEqual(new Date()) },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  return (
    next ??
    (await manager.findOneOrFail(EventDate, { where: { eventId }, order: { startsAt: 'DESC' } }))
  );
}

/** A stored seat, as the plan matches it and as written (to change only what changes). */
type StoredSeatRow = StoredSeat & Omit<Seat, 'event' | 'section' | 'ticketType'>;

async function storedSeats(manager: EntityManager, eventId: number): Promise<StoredSeatRow[]> {
  const seats = await manager.find(Seat, { where: { eventId }, relations: { section: true } });
  return seats.map(({ section, ...seat }) => ({ ...seat, sectionName: section!.name }));
}

/** Every seat has a row per date: the map times the dates must stay within MAX_DATE_SEATS. */
async function assertFits(manager: EntityManager, eventId: number, plan: MapPlan): Promise<void> {
  const dates = await manager.countBy(EventDate, { eventId });
  if (plan.seats.length * dates > MAX_DATE_SEATS) {
    throw new InvalidFieldError(
      'sections',
      `This event has ${dates} dates: its map may have at most ${Math.floor(MAX_DATE_SEATS / dates)} seats.`,
      HttpStatus.CONFLICT,
    );
  }
}

/** A seat someone holds or bought stays, as the same ticket type, and on sale. */
async function assertBookedSeatsKept(
  manager: EntityManager,
  plan: MapPlan,
  stored: StoredSeat[],
): Promise<void> {
  const taken = new Set(
    (
      await manager.find(DateSeat, {
        select: { seatId: true },
        where: { seatId: In(stored.map((seat) => seat.id)), status: 'taken' },
      })
    ).map((row) => row.seatId),
  );
  const booked = (message: string, path = 'sections') =>
    new InvalidFieldError(path, message, HttpStatus.CONFLICT);
  const gone = plan.removed.find((seat) => taken.has(seat.id));
  if (gone) {
    throw booked(
      `${gone.sectionName}, row ${gone.rowLabel}, seat ${gone.label} has a booking: it cannot be removed.`,
    );
  }
  const storedById = new Map(stored.map((seat) => [seat.id, seat]));
  for (const seat of plan.seats) {
    if (seat.id === undefined || !taken.has(seat.id)) continue;
    if (storedById.get(seat.id)!.ticketTypeId !== seat.ticketTypeId)
      throw booked(
        'This seat has a booking: its ticket type cannot change.',
        `${seat.path}.ticketTypeId`,
      );
    if (seat.unavailable)
      throw booked(
        'This seat has a booking: it cannot be made unavailable.',
        `${seat.path}.unavailable`,
      );
  }
}

/** A ticket type sold without seats cannot become seated: its tickets would have none. */
function assertSeatedBeforeSold(plan: MapPlan, types: TicketType[]): void {
  for (const type of types.filter((type) => !type.seated && type.sold + type.reserved > 0)) {
    const seat = plan.seats.find((seat) => seat.ticketTypeId === type.id);
    if (seat) {
      throw new InvalidFieldError(
        `${seat.path}.ticketTypeId`,
        `“${type.name}” has tickets sold or held without seats: seat a ticket type before selling it.`,
        HttpStatus.CONFLICT,
      );
    }
  }
}

/** Sections, then seats: removed ones go, kept ones change, new ones come. */
async function writeMap(
  manager: EntityManager,
  eventId: number,
  input: MapInput,
  plan: MapPlan,
  stored: StoredSeatRow[],
): Promise<void> {
  if (plan.removed.length)
    await manager.delete(Seat, { id: In(plan.removed.map((seat) => seat.id)) });
  const sectionIds = await writeSections(manager, eventId, input);
  const storedById = new Map(stored.map((seat) => [seat.id, seat]));
  const fields = (seat: PlannedSeat) => ({
    eventId,
    sectionId: sectionIds[seat.sectionIndex],
    ticketTypeId: seat.ticketTypeId,
    rowLabel: seat.rowLabel,
    rowIndex: seat.rowIndex,
    label: seat.label,
    seatIndex: seat.seatIndex,
    x: seat.x,
    y: seat.y,
    unavailable: seat.unavailable,
  });
  const kept = plan.seats.filter((seat) => seat.id !== undefined);
  // Labels move first to placeholders, so two seats may swap labels without a clash on the way.
  const relabelled = kept.filter((seat) => {
    const was = storedById.get(seat.id!)!;
    return was.rowLabel !== seat.rowLabel || was.label !== seat.label;
  });
  for (const seat of relabelled)
    await manager.update(Seat, { id: seat.id }, { label: `#${seat.id}` });
  for (const seat of kept) {
    const was = storedById.get(seat.id!)!;
    const now = fields(seat);
    const changed = (Object.keys(now) as (keyof typeof now)[]).some((key) => was[key] !== now[key]);
    if (changed || relabelled.includes(seat)) await manager.update(Seat, { id: seat.id }, now);
  }
  const added = plan.seats.filter((seat) => seat.id === undefined).map(fields);
  for (let start = 0; start < added.length; start += 50)
    await manager.insert(Seat, added.slice(start, start + 50));
  const availabilityChanged = kept.filter(
    (seat) => storedById.get(seat.id!)!.unavailable !== seat.unavailable,
  );
  await followAvailability(
    manager,
    availabilityChanged.map((seat) => seat.id!),
  );
  await manager.delete(SeatingSection, {
    eventId,
    ...(sectionIds.length ? { id: Not(In(sectionIds)) } : {}),
  });
}

/** The sections in the order sent, each kept by its name (case aside) or added: their ids. */
async function writeSections(
  manager: EntityManager,
  eventId: number,
  input: MapInput,
): Promise<number[]> {
  const existing = new Map(
    (await manager.findBy(SeatingSection, { eventId })).map((section) => [
      section.name.toLocaleLowerCase('en'),
      section,
    ]),
  );
  const ids: number[] = [];
  for (const [sortOrder, { name }] of input.sections.entries()) {
    const section = existing.get(name.toLocaleLowerCase('en'));
    if (section) {
      if (section.name !== name || section.sortOrder !== sortOrder)
        await manager.update(SeatingSection, { id: section.id }, { name, sortOrder });
      ids.push(section.id);
    } else {
      ids.push((await manager.save(SeatingSection, { eventId, name, sortOrder })).id);
    }
  }
  return ids;
}

/**
 * A ticket type with seats on the map is seated: its capacity, on every date, is its seats not
 * marked unavailable. One whose seats are all gone is sold by count again, at that capacity.
 */
async function capacityFromSeats(manager: EntityManager, types: TicketType[]): Promise<void> {
  const counts = await manager
    .createQueryBuilder(Seat, 'seat')
    .select('seat.ticket_type_id', 'ticketTypeId')
    .addSelect('SUM(CASE WHEN seat.unavailable THEN 0 ELSE 1 END)', 'available')
    .where('seat.ticket_type_id IN (:...ids)', { ids: types.map((type) => type.id) })
    .groupBy('seat.ticket_type_id')
    .getRawMany<{ ticketTypeId: number; available: number | string }>();
  const available = new Map(counts.map((row) => [Number(row.ticketTypeId), Number(row.available)]));
  for (const type of types) {
    const seats = available.get(type.id);
    if (seats === undefined) {
      if (type.seated) await manager.update(TicketType, { id: type.id }, { seated: false });
      continue;
    }
    const busiest = await manager
      .createQueryBuilder(DateInventory, 'stock')
      .select('MAX(stock.sold + stock.reserved)', 'taken')
      .where('stock.ticket_type_id = :id', { id: type.id })
      .getRawOne<{ taken: number | string | null }>();
    const taken = Number(busiest?.taken ?? 0);
    if (taken > seats) {
      throw new InvalidFieldError(
        'sections',
        `“${type.name}” has ${taken} tickets sold or held for vouchers on one date; the map gives it ${seats} seats.`,
        HttpStatus.CONFLICT,
      );
    }
    await manager.update(TicketType, { id: type.id }, { seated: true, capacity: seats });
    await manager.update(DateInventory, { ticketTypeId: type.id }, { capacity: seats });
  }
}
