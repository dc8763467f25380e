import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { SessionUser } from '../auth/session-user';
import { BookingItem } from '../bookings/entities/booking-item.entity';
import { Booking } from '../bookings/entities/booking.entity';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';
import { EventInput, TicketTypeInput } from './event-input';
import { pageOfEvents } from './event-pages';

export interface DashboardEvent {
  event: Event;
  ticketTypes: TicketType[];
  sold: number;
  capacity: number;
  revenueCents: number;
  confirmedBookings: number;
}

/** Organisers' side of events: create, edit, publish, delete; each organiser only their own, admins all. */
@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** The event with its ticket types, if this user may manage it; 404 otherwise (never reveal that it exists). */
  async findManageable(
    user: SessionUser,
    id: number,
  ): Promise<Event & { ticketTypes: TicketType[] }> {
    const event = await this.events.findOne({
      where: { id, ...(user.role === 'admin' ? {} : { organiserId: user.id }) },
      relations: { ticketTypes: true },
      order: { ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
    });
    if (!event) throw new NotFoundException('No such event.');
    return event as Event & { ticketTypes: TicketType[] };
  }

  /** Every event, for the admin API: by start time, then id, so pages are stable. */
  async list(query: { status?: Event['status']; limit: number; offset: number }) {
    const where = query.status ? { status: query.status } : {};
    return pageOfEvents(this.events, where, query.limit, query.offset);
  }

  async dashboard(user: SessionUser): Promise<DashboardEvent[]> {
    const events = await this.events.find({
      where: user.role === 'admin' ? {} : { organiserId: user.id },
      relations: { ticketTypes: true },
      order: { startsAt: 'ASC', id: 'ASC', ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
    });
    const sales = await this.confirmedSales(events.map((event) => event.id));
    return events.map((event) => {
      const ticketTypes = event.ticketTypes ?? [];
      return {
        event,
        ticketTypes,
        sold: ticketTypes.reduce((sum, type) => sum + type.sold, 0),
        capacity: ticketTypes.reduce((sum, type) => sum + type.capacity, 0),
        revenueCents: sales.get(event.id)?.revenueCents ?? 0,
        confirmedBookings: sales.get(event.id)?.bookings ?? 0,
      };
    });
  }

  async create(user: SessionUser, input: EventInput): Promise<Event> {
    assertStartsInFuture(input.startsAt);
    assertHasTicketTypes(input.ticketTypes);
    return this.transactions.run(async (manager) => {
      const event = await manager.save(
        manager.create(Event, {
          ...eventFields(input),
          organiserId: user.id,
          status: 'draft',
          publishedAt: null,
        }),
      );
      await manager.insert(
        TicketType,
        input.ticketTypes.map((type, index) => newTicketType(event.id, type, index)),
      );
      await this.auditLog.record(manager, user, 'event.created', eventSubject(event));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: event.id });
      return event;
    });
  }

  async update(user: SessionUser, id: number, input: EventInput): Promise<void> {
    const event = await this.findManageable(user, id);
    if (input.startsAt.getTime() !== event.startsAt.getTime()) assertStartsInFuture(input.startsAt);
    assertHasTicketTypes(input.ticketTypes);
    await this.transactions.run(async (manager) => {
      // Waits for bookings in flight, so the sold counts and items checked below are final.
      await lockRow(manager, Event, id, 'exclusive');
      const { affected } = await manager.update(Event, { id }, eventFields(input));
      if (!affected) throw new NotFoundException('No such event.');
      await this.updateTicketTypes(manager, id, input.ticketTypes);
      await this.auditLog.record(manager, user, 'event.updated', eventSubject({ id, ...input }));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: id });
    });
  }

  async remove(user: SessionUser, id: number): Promise<void> {
    const event = await this.findManageable(user, id);
    await this.transactions.run(async (manager) => {
      // Waits for bookings in flight, so the count below includes them.
      await lockRow(manager, Event, id, 'exclusive');
      const confirmed = await manager.countBy(Booking, { eventId: id, status: 'confirmed' });
      if (confirmed > 0) {
        throw new ConflictException(
          `This event has ${confirmed} confirmed booking${confirmed === 1 ? '' : 's'} and cannot be deleted. Cancel them first.`,
        );
      }
      // Cancelled bookings go with the event; their items go with them (cascade).
      await manager.delete(Booking, { eventId: id });
      const { affected } = await manager.delete(Event, { id });
      if (!affected) return;
      await this.auditLog.record(manager, user, 'event.deleted', eventSubject(event));
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: id });
    });
  }

  async publish(user: SessionUser, id: number): Promise<void> {
    const event = await this.findManageable(user, id);
    if (event.status === 'published') return;
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
    const removed = [...existing.values()].filter((type) => !kept.has(type.id));
    const booked = removed.length
      ? await manager.findBy(BookingItem, { ticketTypeId: In(removed.map((type) => type.id)) })
      : [];
    const refused = removed.find(
      (type) => type.sold > 0 || booked.some((item) => item.ticketTypeId === type.id),
    );
    if (refused) {
      throw new InvalidFieldError(
        'ticketTypes',
        `"${refused.name}" has bookings, so it cannot be removed. Set its capacity to the number sold to stop sales instead.`,
      );
    }
    if (removed.length)
      await manager.delete(TicketType, { id: In(removed.map((type) => type.id)) });

    for (const [index, row] of rows.entries()) {
      if (row.id === undefined) {
        await manager.insert(TicketType, newTicketType(eventId, row, index));
        continue;
      }
      // The capacity check is part of the UPDATE, so a sale committed meanwhile cannot slip under it.
      const result = await manager
        .createQueryBuilder()
        .update(TicketType)
        .set({
          name: row.name,
          priceCents: row.priceCents,
          capacity: row.capacity,
          sortOrder: index,
        })
        .where('id = :id AND sold <= :capacity', { id: row.id, capacity: row.capacity })
        .execute();
      if (!result.affected) {
        const sold = existing.get(row.id)!.sold;
        throw new InvalidFieldError(
          `ticketTypes.${index}.capacity`,
          `Capacity cannot be below the ${sold} ticket${sold === 1 ? '' : 's'} already sold.`,
        );
      }
    }
  }

  private async confirmedSales(
    eventIds: number[],
  ): Promise<Map<number, { revenueCents: number; bookings: number }>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.events.manager
      .createQueryBuilder(Booking, 'booking')
      .select('booking.event_id', 'eventId')
      .addSelect('SUM(booking.total_cents)', 'revenueCents')
      .addSelect('COUNT(*)', 'bookings')
      .where('booking.status = :status', { status: 'confirmed' })
      .andWhere('booking.event_id IN (:...eventIds)', { eventIds })
      .groupBy('booking.event_id')
      .getRawMany<{ eventId: number; revenueCents: string | number; bookings: string | number }>();
    return new Map(
      rows.map((row) => [
        Number(row.eventId),
        { revenueCents: Number(row.revenueCents), bookings: Number(row.bookings) },
      ]),
    );
  }
}

function eventFields(input: EventInput) {
  return {
    title: input.title,
    description: input.description,
    venue: input.venue,
    startsAt: input.startsAt,
    maxTicketsPerType: input.maxTicketsPerType,
  };
}

function newTicketType(eventId: number, type: TicketTypeInput, sortOrder: number) {
  return {
    eventId,
    name: type.name,
    priceCents: type.priceCents,
    capacity: type.capacity,
    sold: 0,
    sortOrder,
  };
}

function assertStartsInFuture(startsAt: Date): void {
  if (startsAt.getTime() <= Date.now())
    throw new InvalidFieldError('startsAt', 'The event must start in the future.');
}

function assertHasTicketTypes(ticketTypes: TicketTypeInput[]): void {
  if (ticketTypes.length === 0)
    throw new InvalidFieldError('ticketTypes', 'Add at least one ticket type.');
  if (ticketTypes.length > 20)
    throw new InvalidFieldError('ticketTypes', 'An event can have at most 20 ticket types.');
}
