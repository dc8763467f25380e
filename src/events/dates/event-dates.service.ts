import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { AuditLogService, eventSubject } from '../../audit/audit-log.service';
import type { SessionUser } from '../../auth/session-user';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { lockRow } from '../../database/locks';
import { TransactionRunner } from '../../database/transaction-runner';
import { DomainEvents } from '../../domain-events/domain-events.service';
import { stockEveryDate } from '../date-stock';
import { DateInventory } from '../entities/date-inventory.entity';
import { EventDate } from '../entities/event-date.entity';
import { Event } from '../entities/event.entity';
import { EventsService } from '../events.service';
import { DateRule, expandRule, RuleDate, TooManyDatesError } from './date-rule';

/** An event may have this many dates: two performances a day for over a year. */
export const MAX_DATES_PER_EVENT = 1000;

/** One date, or many from a rule (PRODUCT.md "Dates"). */
export type NewDates = { startsAt?: Date; endsAt?: Date | null; rule?: DateRule };

/** Organisers' side of an event's dates: add one or many, remove one nobody booked. */
@Injectable()
export class EventDatesService {
  constructor(
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Adds the dates asked for, all or none, each with every ticket type's full capacity; the
   * event's start and end become its first scheduled date's. Answers with the dates added.
   */
  async add(user: SessionUser, eventId: number, request: NewDates): Promise<EventDate[]> {
    const event = await this.events.findManageable(user, eventId);
    if (request.rule && request.startsAt)
      throw new InvalidFieldError('rule', 'Give either one date (startsAt) or a rule, not both.');
    const wanted = request.rule ? datesOfRule(request.rule) : [oneDate(request)];
    return this.transactions.run(async (manager) => {
      await lockRow(manager, Event, eventId, 'exclusive');
      const existing = await manager.countBy(EventDate, { eventId });
      if (existing + wanted.length > MAX_DATES_PER_EVENT) {
        throw new InvalidFieldError(
          request.rule ? 'rule' : 'startsAt',
          `An event may have at most ${MAX_DATES_PER_EVENT} dates; this one has ${existing}.`,
          409,
        );
      }
      const added: EventDate[] = [];
      // In slices: one INSERT of hundreds of rows would pass SQLite's limit on bound values.
      for (let start = 0; start < wanted.length; start += 100) {
        const slice = wanted.slice(start, start + 100).map((date) => ({
          eventId,
          ...date,
          status: 'scheduled' as const,
        }));
        added.push(...(await manager.save(EventDate, slice)));
      }
      await stockEveryDate(manager, eventId);
      await startsAtFirstDate(manager, eventId);
      await this.auditLog.record(
        manager,
        user,
        'event.dates.added',
        eventSubject(event),
        `${added.length} date${added.length === 1 ? '' : 's'}`,
      );
      await this.domainEvents.record(manager, { type: 'event.changed', eventId });
      return manager.find(EventDate, {
        where: added.map((date) => ({ id: date.id })),
        relations: { stock: true },
        order: { startsAt: 'ASC', id: 'ASC' },
      });
    });
  }

  /**
   * Removes a date nobody has booked, held or waited for (409 otherwise: cancel it instead),
   * and never an event's last date (delete the event instead).
   */
  async remove(user: SessionUser, eventId: number, dateId: number): Promise<void> {
    const event = await this.events.findManageable(user, eventId);
    await this.transactions.run(async (manager) => {
      // Waits for bookings in flight, so what is counted below is final.
      await lockRow(manager, Event, eventId, 'exclusive');
      const date = await manager.findOneBy(EventDate, { id: dateId, eventId });
      if (!date) throw new NotFoundException('No such date.');
      if ((await manager.countBy(EventDate, { eventId })) === 1) {
        throw new ConflictException(
          'This is the event’s only date. Delete the event instead, or add another date first.',
        );
      }
      // Bookings belong to a module above this one: their table is named, not their entity.
      const booked = await manager
        .createQueryBuilder()
        .select('booking.id')
        .from('bookings', 'booking')
        .where('booking.date_id = :dateId', { dateId })
        .getExists();
      const inUse = await manager
        .createQueryBuilder(DateInventory, 'stock')
        .where('stock.date_id = :dateId', { dateId })
        .andWhere('(stock.sold > 0 OR stock.reserved > 0 OR stock.waiting > 0)')
        .getExists();
      if (booked || inUse) {
        throw new ConflictException(
          'This date has bookings, held tickets or a waiting list, so it cannot be removed. Cancel it instead.',
        );
      }
      await manager.delete(EventDate, { id: dateId });
      await startsAtFirstDate(manager, eventId);
      await this.auditLog.record(
        manager,
        user,
        'event.date.deleted',
        eventSubject(event),
        date.startsAt.toISOString(),
      );
      await this.domainEvents.record(manager, { type: 'event.changed', eventId });
    });
  }

  /**
   * Cancels a date, once (a conditional UPDATE: pressed twice, the second changes nothing). It is
   * not sold from the moment this commits, under the event's exclusive lock, so no booking for it
   * is in flight then; its bookings are ended after (DateCancellation). Answers the date, and
   * whether this call cancelled it.
   */
  async cancel(
    user: SessionUser,
    eventId: number,
    dateId: number,
  ): Promise<{ date: EventDate; changed: boolean }> {
    const event = await this.events.findManageable(user, eventId);
    return this.transactions.run(async (manager) => {
      await lockRow(manager, Event, eventId, 'exclusive');
      const date = await manager.findOneBy(EventDate, { id: dateId, eventId });
      if (!date) throw new NotFoundException('No such date.');
      const { affected } = await manager
        .createQueryBuilder()
        .update(EventDate)
        .set({ status: 'cancelled' })
        .where("id = :dateId AND status = 'scheduled'", { dateId })
        .execute();
      if (!affected) return { date, changed: false };
      await startsAtFirstDate(manager, eventId);
      await this.domainEvents.record(manager, { type: 'date.cancelled', eventId, dateId });
      await this.domainEvents.record(manager, { type: 'event.changed', eventId });
      await this.auditLog.record(
        manager,
        user,
        'event.date.cancelled',
        eventSubject(event),
        date.startsAt.toISOString(),
      );
      return { date: { ...date, status: 'cancelled' as const }, changed: true };
    });
  }
}

/** The event starts and ends as its first scheduled date does (its listing and calendar show that). */
async function startsAtFirstDate(manager: EntityManager, eventId: number): Promise<void> {
  const first = await manager.findOne(EventDate, {
    where: { eventId, status: 'scheduled' },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  if (first)
    await manager.update(
      Event,
      { id: eventId },
      { startsAt: first.startsAt, endsAt: first.endsAt },
    );
}

function oneDate(request: NewDates): RuleDate {
  if (!request.startsAt)
    throw new InvalidFieldError('startsAt', 'Give the date’s start (startsAt), or a rule.');
  if (request.startsAt.getTime() <= Date.now())
    throw new InvalidFieldError('startsAt', 'A new date must start in the future.');
  const endsAt = request.endsAt ?? null;
  if (endsAt && endsAt <= request.startsAt)
    throw new InvalidFieldError('endsAt', 'A date must end after it starts.');
  return { startsAt: request.startsAt, endsAt };
}

/** A rule refused at one of its fields: `from` on the form, `rule.from` in the API's body. */
const ruleError = (field: keyof DateRule, message: string) =>
  new InvalidFieldError(field, message, 422, `rule.${field}`);

/** The dates of a well-formed rule, or a 4xx naming the field that makes it unusable. */
function datesOfRule(rule: DateRule): RuleDate[] {
  if (!DateTime.fromISO(rule.from).isValid)
    throw ruleError('from', 'The first day must be a real day (YYYY-MM-DD).');
  if (rule.until === undefined && rule.count === undefined)
    throw ruleError('until', 'Say until which day, or how many dates.');
  if (rule.until !== undefined && (!DateTime.fromISO(rule.until).isValid || rule.until < rule.from))
    throw ruleError('until', 'The last day must be a real day, on or after the first.');
  let dates: RuleDate[];
  try {
    dates = expandRule(rule);
  } catch (error) {
    if (error instanceof TooManyDatesError) throw ruleError(error.field, error.message);
    throw error;
  }
  if (dates.length === 0)
    throw ruleError(
      'byWeekday',
      'None of the days from the first to the last is one of these weekdays.',
    );
  if (dates[0].startsAt.getTime() <= Date.now())
    throw ruleError('from', 'The first date must be in the future.');
  return dates;
}
