import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { CurrentOrganisation, SessionUser } from '../auth/session-user';
import { Membership } from '../auth/entities/membership.entity';
import { Access, mayInCurrentOrganisation, ROLES_WITH } from '../auth/organisations/access';
import { UsersService } from '../auth/users.service';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import { isForeignKeyViolation } from '../database/database-errors';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { SettingsService } from '../settings/settings.service';
import { Event } from './entities/event.entity';
import { stockEveryDate } from './date-stock';
import { DateInventory } from './entities/date-inventory.entity';
import { EventDate } from './entities/event-date.entity';
import { TicketType } from './entities/ticket-type.entity';
import { completeTicketTypes, EventInput, TicketTypeChanges, TicketTypeInput } from './event-input';
import { EventWithDates, EventWithTicketTypes, pageOfEvents, withDates } from './event-pages';

/** Organisers' side of events: create, edit, publish, delete; each organiser only their own, admins all. */
@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
    private readonly settings: SettingsService,
    private readonly users: UsersService,
  ) {}

  /**
   * The event with its ticket types, if this user's role in its organisation grants `access`
   * (managing it, unless said otherwise); 404 otherwise (never reveal that it exists).
   */
  findManageable(
    user: SessionUser,
    id: number,
    access: Access = 'manage',
  ): Promise<EventWithTicketTypes> {
    return this.findManageableIn(this.events.manager, user, id, access);
  }

  /** Whether this user may manage the event (for pages a door volunteer sees too, without money). */
  async mayManage(user: SessionUser, event: Pick<Event, 'organisationId'>): Promise<boolean> {
    if (user.role === 'admin') return true;
    return this.events.manager.existsBy(Membership, {
      organisationId: event.organisationId,
      userId: user.id,
      role: In(ROLES_WITH.manage),
    });
  }

  private async findManageableIn(
    manager: EntityManager,
    user: SessionUser,
    id: number,
    access: Access = 'manage',
  ): Promise<EventWithTicketTypes> {
    const query = manager
      .createQueryBuilder(Event, 'event')
      .leftJoinAndSelect('event.ticketTypes', 'ticketType')
      .where('event.id = :id', { id })
      .orderBy('ticketType.sortOrder', 'ASC')
      .addOrderBy('ticketType.id', 'ASC');
    if (user.role !== 'admin')
      query.innerJoin(
        Membership,
        'membership',
        'membership.organisation_id = event.organisation_id AND membership.user_id = :userId AND membership.role IN (:...roles)',
        { userId: user.id, roles: ROLES_WITH[access] },
      );
    const event = await query.getOne();
    if (!event) throw new NotFoundException('No such event.');
    return event as EventWithTicketTypes;
  }

  /** The events with their dates, for the API's event JSON (one query for them all). */
  /** How many scheduled dates each of these events has (each sells its types' capacity again). */
  async scheduledDates(eventIds: number[]): Promise<Map<number, number>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.events.manager
      .createQueryBuilder(EventDate, 'date')
      .select('date.event_id', 'eventId')
      .addSelect('COUNT(*)', 'count')
      .where("date.event_id IN (:...eventIds) AND date.status = 'scheduled'", { eventIds })
      .groupBy('date.event_id')
      .getRawMany<{ eventId: number; count: string | number }>();
    return new Map(rows.map((row) => [Number(row.eventId), Number(row.count)]));
  }

  withDates(events: EventWithTicketTypes[]): Promise<EventWithDates[]> {
    return withDates(this.events.manager, events);
  }

  /** Every event, for the admin API: by start time, then id, so pages are stable. */
  async list(query: { status?: Event['status']; limit: number; offset: number }) {
    const where = query.status ? { status: query.status } : {};
    return pageOfEvents(this.events, where, query.limit, query.offset);
  }

  /** A page of the events of the user's organisation (an admin: every event), by start time. */
  async pageOfManageable(user: SessionUser, limit: number, offset: number) {
    const where =
      user.role === 'admin' ? {} : { organisationId: user.organisation?.id ?? NO_ORGANISATION };
    return pageOfEvents(this.events, where, limit, offset);
  }

  /** How many events each organiser has (by organiser id; none: absent). */
  async countByOrganiser(): Promise<Map<number, number>> {
    const counts = await this.events
      .createQueryBuilder('event')
      .select('event.organiser_id', 'organiserId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('event.organiser_id')
      .getRawMany<{ organiserId: number; count: string | number }>();
    return new Map(counts.map((row) => [Number(row.organiserId), Number(row.count)]));
  }

  /** Creates a draft; answers with it as stored. */
  async create(user: SessionUser, input: EventInput): Promise<EventWithTicketTypes> {
    const organisation = organisationToCreateIn(user);
    assertStartsInFuture(input.startsAt);
    assertEndsAfterStart(input);
    assertQueueOpens(input);
    assertTicketTypes(input.ticketTypes);
    const created = await this.transactions.run(async (manager) => {
      const event = await manager.save(
        manager.create(Event, {
          ...eventFields(input),
          organiserId: user.id,
          organisationId: organisation.id,
          status: 'draft',
          publishedAt: null,
        }),
      );
      await manager.insert(
        TicketType,
        input.ticketTypes.map((type, index) => newTicketType(event.id, type, index)),
      );
      await manager.insert(EventDate, {
        eventId: event.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        status: 'scheduled',
      });
      await stockEveryDate(manager, event.id);
      await this.auditLog.record(manager, user, 'event.created', eventSubject(event));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: event.id });
      return event;
    });
    return this.findManageable(user, created.id);
  }

  /** Replaces what the organiser describes (the edit form): every field, every ticket type. */
  async update(user: SessionUser, id: number, input: EventInput): Promise<void> {
    await this.edit(user, id, () => input);
  }

  /**
   * Changes only the fields named (the API's PATCH), merged with the event as it is at that
   * moment; answers with the event as stored.
   */
  async patch(user: SessionUser, id: number, changes: EventChanges): Promise<EventWithTicketTypes> {
    await this.edit(user, id, (current) => ({
      ...current,
      ...changes,
      ticketTypes: changes.ticketTypes
        ? completeTicketTypes(current.ticketTypes, changes.ticketTypes)
        : current.ticketTypes,
    }));
    return this.findManageable(user, id);
  }

  /** Pauses (or resumes) admission from the event's queue: places are kept, nobody new is let in. */
  async pauseQueue(user: SessionUser, id: number, paused: boolean): Promise<void> {
    await this.transactions.run(async (manager) => {
      const event = await this.findManageableIn(manager, user, id);
      const { affected } = await manager.update(
        Event,
        { id, queuePaused: !paused },
        { queuePaused: paused },
      );
      if (affected)
        await this.auditLog.record(
          manager,
          user,
          paused ? 'event.queue-paused' : 'event.queue-resumed',
          eventSubject(event),
        );
    });
  }

  /**
   * Reads, merges and writes in one transaction, the event's row locked first: two edits at once
   * apply one after the other, so neither loses what the other changed.
   */
  private async edit(
    user: SessionUser,
    id: number,
    change: (current: EventInput) => EventInput,
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      // Waits for bookings in flight, so the sold counts and items checked below are final.
      await lockRow(manager, Event, id, 'exclusive');
      const event = await this.findManageableIn(manager, user, id);
      // A one-date event's date is its start and end; a series' are changed on its dates page.
      const oneDate = (await manager.countBy(EventDate, { eventId: id })) === 1;
      const changed = change(eventInput(event));
      if (!oneDate) assertDatesUnchanged(event, changed);
      const input = oneDate
        ? changed
        : { ...changed, startsAt: event.startsAt, endsAt: event.endsAt };
      if (input.startsAt.getTime() !== event.startsAt.getTime())
        assertStartsInFuture(input.startsAt);
      assertEndsAfterStart(input);
      assertQueueOpens(input);
      assertTicketTypes(input.ticketTypes);
      await manager.update(Event, { id }, eventFields(input));
      if (oneDate)
        await manager.update(
          EventDate,
          { eventId: id },
          { startsAt: input.startsAt, endsAt: input.endsAt },
        );
      await this.updateTicketTypes(manager, id, input.ticketTypes);
      await stockEveryDate(manager, id);
      await this.auditLog.record(manager, user, 'event.updated', eventSubject({ id, ...input }));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: id });
    });
  }

  async remove(user: SessionUser, id: number): Promise<void> {
    const event = await this.findManageable(user, id);
    await this.transactions.run(async (manager) => {
      // Waits for bookings in flight, so the count below includes them.
      await lockRow(manager, Event, id, 'exclusive');
      const booked = Number((await manager.sum(TicketType, 'sold', { eventId: id })) ?? 0);
      if (booked > 0) {
        throw new ConflictException(
          `This event has ${booked} ticket${booked === 1 ? '' : 's'} booked and cannot be deleted. Cancel its bookings first.`,
        );
      }
      // Whatever else belongs to the event (its cancelled bookings) goes first, with this event.
      await this.domainEvents.record(manager, { type: 'event.deleted', eventId: id });
      const { affected } = await manager.delete(Event, { id });
      if (affected) await this.auditLog.record(manager, user, 'event.deleted', eventSubject(event));
    });
  }

  /** Publishes a draft (a published event stays as it is); answers with the event as stored. */
  async publish(user: SessionUser, id: number): Promise<EventWithTicketTypes> {
    const event = await this.findManageable(user, id);
    if (event.status === 'published') return event;
    const { organiserApproval } = await this.settings.get();
    if (organiserApproval && !(await this.users.isApproved(user))) {
      throw new ConflictException(
        'Your account is waiting for an administrator’s approval. Your events can be published once it is approved.',
      );
    }
    if (event.startsAt.getTime() <= Date.now()) {
      throw new ConflictException(
        'This event has already started, so it can no longer be published.',
      );
    }
    await this.transactions.run(async (manager) => {
      const { affected } = await manager.update(
        Event,
        { id, status: 'draft' },
        { status: 'published', publishedAt: new Date() },
      );
      if (!affected) return;
      await this.auditLog.record(manager, user, 'event.published', eventSubject(event));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: id });
    });
    return this.findManageable(user, id);
  }

  /**
   * Applies the submitted ticket types: existing ones are updated (never below
   * what is sold), new ones added, missing ones removed unless they have bookings.
   */
  private async updateTicketTypes(
    manager: EntityManager,
    eventId: number,
    rows: TicketTypeInput[],
  ): Promise<void> {
    const existing = new Map(
      (await manager.findBy(TicketType, { eventId })).map((type) => [type.id, type]),
    );
    const seen = new Set<number>();
    rows.forEach((row, index) => {
      if (row.id === undefined) return;
      if (!existing.has(row.id)) {
        throw new InvalidFieldError(
          `ticketTypes.${index}.name`,
          'This ticket type does not belong to this event.',
        );
      }
      if (seen.has(row.id)) {
        throw new InvalidFieldError(
          `ticketTypes.${index}.name`,
          'This ticket type appears twice in the form.',
        );
      }
      seen.add(row.id);
    });
    const kept = new Set(rows.map((row) => row.id));
    for (const type of [...existing.values()].filter((type) => !kept.has(type.id))) {
      await removeTicketType(manager, type);
    }

    for (const [index, row] of rows.entries()) {
      if (row.id === undefined) {
        await manager.insert(TicketType, newTicketType(eventId, row, index));
        continue;
      }
      const current = existing.get(row.id)!;
      if (current.seated && row.capacity !== current.capacity) {
        throw new InvalidFieldError(
          `ticketTypes.${index}.capacity`,
          `“${current.name}” is sold by seat: its capacity is its ${current.capacity} seats on the seat map.`,
        );
      }
      // Under the event's exclusive lock no sale is in flight: what is counted here is final.
      const [busiest] = (await manager.findBy(DateInventory, { ticketTypeId: row.id })).sort(
        (a, b) => b.sold + b.reserved - (a.sold + a.reserved),
      );
      if (busiest && busiest.sold + busiest.reserved > row.capacity) {
        const { sold, reserved } = busiest;
        throw new InvalidFieldError(
          `ticketTypes.${index}.capacity`,
          reserved === 0
            ? `Capacity cannot be below the ${sold} ticket${sold === 1 ? '' : 's'} already sold.`
            : `Capacity cannot be below the ${sold + reserved} tickets sold or held for vouchers (${reserved}).`,
        );
      }
      await manager.update(
        TicketType,
        { id: row.id },
        { ...ticketTypeFields(row), sortOrder: index },
      );
      await manager.update(DateInventory, { ticketTypeId: row.id }, { capacity: row.capacity });
    }
  }
}

/** An event of several dates starts and ends as its first: those are changed on its dates page. */
function assertDatesUnchanged(event: Event, input: EventInput): void {
  // To the minute: the edit form sends its times without seconds.
  const minute = (date: Date | null) => (date ? Math.floor(date.getTime() / 60_000) : null);
  const same = (a: Date | null, b: Date | null) => minute(a) === minute(b);
  if (!same(event.startsAt, input.startsAt) || !same(event.endsAt, input.endsAt)) {
    throw new InvalidFieldError(
      same(event.startsAt, input.startsAt) ? 'endsAt' : 'startsAt',
      'This event has several dates: add, remove or cancel them on its dates page.',
    );
  }
}

/**
 * Removes a ticket type nobody holds a ticket of. One that cancelled bookings still name stays:
 * the database refuses to delete it (their items point at it), and the form says so.
 */
async function removeTicketType(manager: EntityManager, type: TicketType): Promise<void> {
  const refused = new InvalidFieldError(
    'ticketTypes',
    `"${type.name}" has bookings, so it cannot be removed. Set its capacity to the number sold to stop sales instead.`,
  );
  if (type.sold > 0) throw refused;
  if (type.reserved > 0) {
    throw new InvalidFieldError(
      'ticketTypes',
      `Vouchers hold ${type.reserved} tickets of "${type.name}", so it cannot be removed. Delete those vouchers first.`,
    );
  }
  await manager.delete(TicketType, { id: type.id }).catch((error: unknown) => {
    throw isForeignKeyViolation(error) ? refused : error;
  });
}

/** The event as its organiser described it: what an edit starts from. */
function eventInput(event: EventWithTicketTypes): EventInput {
  return {
    ...eventFields(event),
    ticketTypes: event.ticketTypes.map((type) => ({ id: type.id, ...ticketTypeFields(type) })),
  };
}

function eventFields(input: Omit<EventInput, 'ticketTypes'>) {
  return {
    title: input.title,
    description: input.description,
    venue: input.venue,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    maxTicketsPerType: input.maxTicketsPerType,
    holdMinutes: input.holdMinutes,
    waitingListHours: input.waitingListHours,
    namePerTicket: input.namePerTicket,
    queueEnabled: input.queueEnabled,
    onSaleAt: input.onSaleAt,
    admissionPerMinute: input.admissionPerMinute,
    admissionMinutes: input.admissionMinutes,
  };
}

/** What the organiser describes of a ticket type (not its id, order or sales). */
function ticketTypeFields(type: Omit<TicketTypeInput, 'id'>): Omit<TicketTypeInput, 'id'> {
  return {
    name: type.name,
    priceCents: type.priceCents,
    capacity: type.capacity,
    description: type.description,
    saleStartsAt: type.saleStartsAt,
    saleEndsAt: type.saleEndsAt,
    minPerOrder: type.minPerOrder,
    maxPerOrder: type.maxPerOrder,
    hidden: type.hidden,
  };
}

function newTicketType(eventId: number, type: TicketTypeInput, sortOrder: number) {
  return { eventId, ...ticketTypeFields(type), sold: 0, sortOrder };
}

function assertStartsInFuture(startsAt: Date): void {
  if (startsAt.getTime() <= Date.now())
    throw new InvalidFieldError('startsAt', 'The event must start in the future.');
}

function assertEndsAfterStart(input: Pick<EventInput, 'startsAt' | 'endsAt'>): void {
  if (input.endsAt && input.endsAt <= input.startsAt)
    throw new InvalidFieldError('endsAt', 'The event must end after it starts.');
}

/** A queue needs a moment to open at, before the event starts. */
function assertQueueOpens(input: Pick<EventInput, 'queueEnabled' | 'onSaleAt' | 'startsAt'>): void {
  if (input.queueEnabled && !input.onSaleAt)
    throw new InvalidFieldError('onSaleAt', 'Say when the sale opens: the queue admits from then.');
  if (input.onSaleAt && input.onSaleAt >= input.startsAt)
    throw new InvalidFieldError('onSaleAt', 'The sale must open before the event starts.');
}

/** At least one ticket type and at most 20, each with rules that can hold together. */
function assertTicketTypes(ticketTypes: TicketTypeInput[]): void {
  if (ticketTypes.length === 0)
    throw new InvalidFieldError('ticketTypes', 'Add at least one ticket type.');
  if (ticketTypes.length > 20)
    throw new InvalidFieldError('ticketTypes', 'An event can have at most 20 ticket types.');
  ticketTypes.forEach((type, index) => {
    if (type.minPerOrder > type.maxPerOrder) {
      throw new InvalidFieldError(
        `ticketTypes.${index}.minPerOrder`,
        'The minimum per order cannot be above the maximum.',
      );
    }
    if (type.saleStartsAt && type.saleEndsAt && type.saleStartsAt >= type.saleEndsAt) {
      throw new InvalidFieldError(
        `ticketTypes.${index}.saleEndsAt`,
        'Sales must end after they start.',
      );
    }
  });
}

/** An API edit: the fields it names; its ticket types may leave their selling rules out. */
export type EventChanges = Partial<Omit<EventInput, 'ticketTypes'>> & {
  ticketTypes?: TicketTypeChanges[];
};

/** No organisation has this id: an account in none manages no events. */
const NO_ORGANISATION = 0;

/** New events go to the organisation the user works in, if their role there lets them manage events. */
function organisationToCreateIn(user: SessionUser): CurrentOrganisation {
  if (!user.organisation || !mayInCurrentOrganisation(user, 'manage'))
    throw new NotFoundException('No such page.');
  return user.organisation;
}
