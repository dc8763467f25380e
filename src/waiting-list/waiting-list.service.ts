import { ConflictException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { isUniqueViolation } from '../database/database-errors';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { Event } from '../events/entities/event.entity';
import { bookableDate } from '../events/dates/bookable-date';
import { moveStock } from '../events/date-stock';
import { EventCatalogService } from '../events/event-catalog.service';
import { EventsService } from '../events/events.service';
import { perOrderLimits, saleState } from '../events/ticket-type-sales';
import { WaitingListEntry } from './entities/waiting-list-entry.entity';
import type { OfferDetails } from './offer-details';
import { lockQueue } from './queue-lock';

export interface JoinRequest {
  ticketTypeId: number;
  quantity: number;
  name: string;
  email: string;
  /** Which of the event's dates; none: its only upcoming one. */
  dateId?: number;
}

/** The waiting lists: who may join, who is in them, and what their offer mails say. */
@Injectable()
export class WaitingListService {
  constructor(
    @InjectRepository(WaitingListEntry) private readonly entries: Repository<WaitingListEntry>,
    private readonly catalog: EventCatalogService,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
  ) {}

  /**
   * Puts a buyer in the queue of a sold-out ticket type, answering their place in it. Only while
   * the public cannot buy the type (409 otherwise: buy instead); once per email and type (409).
   * The counter the booking path checks (`waiting`) moves in the same transaction, by a
   * conditional UPDATE: a type with tickets left for the public is never queued for.
   */
  async join(
    eventId: number,
    request: JoinRequest,
  ): Promise<{ entry: WaitingListEntry; place: number }> {
    const event = await this.catalog.findPublished(eventId);
    const type = event.ticketTypes.find((candidate) => candidate.id === request.ticketTypeId);
    if (!type || type.hidden)
      throw new InvalidFieldError('ticketTypeId', 'Choose one of this event’s ticket types.');
    if (saleState(type, event, Date.now()) !== 'open')
      throw new ConflictException(
        `“${type.name}” is not on sale now, so there is no waiting list for it.`,
      );
    const { max } = perOrderLimits(type, event);
    if (request.quantity > max)
      throw new InvalidFieldError(
        'quantity',
        `You can wait for 1 to ${max} tickets of “${type.name}”.`,
      );
    try {
      return await this.transactions.run(async (manager) => {
        await lockRow(manager, Event, eventId, 'shared');
        const date = await bookableDate(manager, eventId, request.dateId, new Date());
        if (!date) throw new ConflictException('Sales for this date have closed.');
        await lockQueue(manager, date.id);
        const queued = await moveStock(
          manager,
          { dateId: date.id, ticketTypeId: type.id },
          { waiting: 1 },
          'sold + reserved >= capacity OR waiting > 0',
        );
        if (!queued) {
          throw new ConflictException(`“${type.name}” still has tickets left: buy them instead.`);
        }
        const entry = await manager.save(
          manager.create(WaitingListEntry, {
            eventId,
            ticketTypeId: type.id,
            dateId: date.id,
            quantity: request.quantity,
            name: request.name,
            email: request.email.toLowerCase(),
            status: 'waiting',
            voucherId: null,
            offeredAt: null,
          }),
        );
        const place = await manager
          .createQueryBuilder(WaitingListEntry, 'entry')
          .where('entry.date_id = :date AND entry.ticket_type_id = :type', {
            date: date.id,
            type: type.id,
          })
          .andWhere("entry.status = 'waiting' AND entry.id <= :id", { id: entry.id })
          .getCount();
        await this.auditLog.record(
          manager,
          'attendee',
          'waiting-list.joined',
          eventSubject(event),
          `${entry.quantity} × ${type.name}`,
        );
        return { entry, place };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new InvalidFieldError(
          'email',
          `This email is already on the waiting list for “${type.name}”.`,
          HttpStatus.CONFLICT,
        );
      }
      throw error;
    }
  }

  /** One page of an event's waiting lists, in queue order, if this user may manage the event. */
  async page(user: SessionUser, eventId: number, limit: number, offset: number) {
    const event = await this.events.findManageable(user, eventId);
    const [entries, total] = await this.entries.findAndCount({
      where: { eventId },
      relations: { voucher: true },
      order: { ticketTypeId: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { event, entries, total };
  }

  /**
   * Takes an entry off the list (an organiser's prune). One still waiting leaves the queue's
   * count in the same transaction; an offer already made stays valid.
   */
  async remove(user: SessionUser, entryId: number): Promise<WaitingListEntry> {
    const entry = await this.entries.findOneBy({ id: entryId });
    if (!entry) throw new NotFoundException('No such waiting-list entry.');
    const event = await this.events.findManageable(user, entry.eventId);
    await this.transactions.run(async (manager) => {
      // The queue first, as the offers take it: an offer to this entry waits, or went first.
      await lockQueue(manager, entry.dateId);
      const removedWaiting = await manager
        .createQueryBuilder()
        .delete()
        .from(WaitingListEntry)
        .where("id = :id AND status = 'waiting'", { id: entryId })
        .execute();
      if (removedWaiting.affected) {
        await moveStock(manager, entry, { waiting: -1 });
      } else {
        await manager.delete(WaitingListEntry, { id: entryId });
      }
      await this.auditLog.record(
        manager,
        user,
        'waiting-list.removed',
        eventSubject(event),
        `${entry.email} (${entry.quantity})`,
      );
    });
    return entry;
  }

  /** Entries still waiting, per event (for the dashboard). */
  async waitingByEvent(eventIds: number[]): Promise<Map<number, number>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.entries
      .createQueryBuilder('entry')
      .select('entry.event_id', 'eventId')
      .addSelect('COUNT(*)', 'count')
      .where("entry.event_id IN (:...eventIds) AND entry.status = 'waiting'", { eventIds })
      .groupBy('entry.event_id')
      .getRawMany<{ eventId: number; count: string | number }>();
    return new Map(rows.map((row) => [Number(row.eventId), Number(row.count)]));
  }

  /** What an offer's mail tells; undefined once it is no longer open (taken up, lapsed, removed). */
  async offerForMail(entryId: number): Promise<OfferDetails | undefined> {
    const entry = await this.entries.findOne({
      where: { id: entryId },
      relations: { voucher: true, date: true, ticketType: { event: true } },
    });
    const voucher = entry?.voucher;
    if (
      !entry ||
      entry.status !== 'offered' ||
      !voucher ||
      voucher.releasedAt ||
      voucher.redeemed > 0
    )
      return undefined;
    const event = entry.ticketType!.event!;
    return {
      eventId: event.id,
      dateId: entry.dateId,
      eventTitle: event.title,
      eventStartsAt: entry.date!.startsAt,
      eventVenue: event.venue,
      ticketTypeName: entry.ticketType!.name,
      quantity: entry.quantity,
      name: entry.name,
      code: voucher.code,
      validUntil: voucher.validUntil!,
    };
  }
}
