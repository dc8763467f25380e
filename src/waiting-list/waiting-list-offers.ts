import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { BackgroundTask } from '../common/background-task';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import type { DomainEventType } from '../domain-events/domain-event';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Event } from '../events/entities/event.entity';
import { moveStock, StockKey } from '../events/date-stock';
import { DateInventory } from '../events/entities/date-inventory.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { createHoldingVoucher } from '../vouchers/voucher-holds';
import { WaitingListEntry } from './entities/waiting-list-entry.entity';
import { lockQueue } from './queue-lock';

/** Others' changes (another process's cancellations, lapses) are seen within this long. */
const LOOK_EVERY_MS = 5000;
/** A wake-up waits this long, so that the tickets of many cancellations at once are offered in one pass. */
const WAKE_DELAY_MS = 50;
const HOUR_MS = 3_600_000;

/** What may free tickets: each wakes the offers in this process, the moment it commits. */
const FREES_TICKETS: DomainEventType[] = [
  'booking.cancelled',
  'booking.expired',
  'booking.refunded',
  'event.changed',
  'voucher.lapsed',
];

/**
 * Offers freed tickets to the waiting lists, oldest entry first. While anyone waits for a type
 * the public cannot buy it (see takeTickets), so what comes free stays free until offered here:
 * woken by every change that may free tickets, and every few seconds for those made by other
 * processes. A date's offers are made under its queue lock (on PostgreSQL; SQLite writes one
 * transaction at a time), each by conditional UPDATEs, so each freed ticket goes to exactly one
 * entry, in queue order, whichever process makes the offer.
 */
@Injectable()
export class WaitingListOffers extends BackgroundTask implements OnModuleInit {
  constructor(
    @InjectRepository(DateInventory) private readonly stock: Repository<DateInventory>,
    private readonly transactions: TransactionRunner,
    private readonly domainEvents: DomainEvents,
  ) {
    super('waiting-list offers', { delayMs: WAKE_DELAY_MS, pollMs: LOOK_EVERY_MS });
  }

  protected pass(): Promise<number> {
    return this.offerFreedTickets();
  }

  onModuleInit(): void {
    this.domainEvents.onCommitted((event) => {
      if (FREES_TICKETS.includes(event.type)) this.background.wake();
    });
    // An offer that lapses unused is over: its entry says so, in the lapse's transaction.
    this.domainEvents.subscribeInTransaction(['voucher.lapsed'], async (manager, event) => {
      await manager
        .createQueryBuilder()
        .update(WaitingListEntry)
        .set({ status: 'lapsed' })
        .where("voucher_id = :voucherId AND status = 'offered'", { voucherId: event.voucherId })
        .andWhere('voucher_id IN (SELECT id FROM vouchers WHERE redeemed = 0)')
        .execute();
    });
  }

  /** Makes every offer there are free tickets for; answers how many this call made. */
  async offerFreedTickets(): Promise<number> {
    const candidates = await this.stock
      .createQueryBuilder('stock')
      .innerJoin('stock.date', 'date')
      .innerJoin('date.event', 'event')
      .select(['stock.dateId', 'stock.ticketTypeId', 'date.eventId'])
      .where('stock.waiting > 0 AND stock.sold + stock.reserved < stock.capacity')
      .andWhere("date.status = 'scheduled' AND date.starts_at > :now", { now: new Date() })
      .andWhere("event.status = 'published'")
      .orderBy('stock.date_id')
      .addOrderBy('stock.ticket_type_id')
      .getRawMany<{ stock_date_id: number; stock_ticket_type_id: number; date_event_id: number }>();
    let offers = 0;
    for (const candidate of candidates) {
      if (this.background.isStopped) break;
      offers += await this.transactions.run((manager) =>
        this.offerInOrder(manager, Number(candidate.date_event_id), {
          dateId: Number(candidate.stock_date_id),
          ticketTypeId: Number(candidate.stock_ticket_type_id),
        }),
      );
    }
    return offers;
  }

  /**
   * Offers a date's free tickets of a type to its queue, head first, while the head's quantity
   * fits: an entry is never skipped for a smaller one behind it. Each offer is a voucher holding
   * the entry's tickets until `waiting_list_hours` from now (not past the date's start).
   */
  private async offerInOrder(
    manager: EntityManager,
    eventId: number,
    key: StockKey,
  ): Promise<number> {
    await lockRow(manager, Event, eventId, 'shared');
    await lockQueue(manager, key.dateId);
    const [stock, event, date] = await Promise.all([
      manager.findOneBy(DateInventory, key),
      manager.findOneBy(Event, { id: eventId }),
      manager.findOneBy(EventDate, { id: key.dateId }),
    ]);
    if (!stock || !event || !date) return 0;
    const now = new Date();
    const validUntil = new Date(
      Math.min(now.getTime() + event.waitingListHours * HOUR_MS, date.startsAt.getTime()),
    );
    let offers = 0;
    for (let free = stock.capacity - stock.sold - stock.reserved; ;) {
      const head = await manager.findOne(WaitingListEntry, {
        where: { ...key, status: 'waiting' },
        order: { id: 'ASC' },
      });
      if (!head || head.quantity > free) return offers;
      const voucher = await createHoldingVoucher(manager, {
        eventId,
        ...key,
        quantity: head.quantity,
        validUntil,
        tag: 'waiting list',
      });
      const offered = await manager
        .createQueryBuilder()
        .update(WaitingListEntry)
        .set({ status: 'offered', offeredAt: now, voucherId: voucher?.id })
        .where("id = :id AND status = 'waiting'", { id: head.id })
        .execute();
      // Neither can fail under the queue's lock; if one did, nothing of this offer may stand.
      if (!voucher || !offered.affected)
        throw new Error(`offer to waiting-list entry ${head.id} failed`);
      await moveStock(manager, key, { waiting: -1 });
      await this.domainEvents.record(manager, {
        type: 'waiting_list.offered',
        entryId: head.id,
        eventId,
        email: head.email,
      });
      free -= head.quantity;
      offers++;
    }
  }
}
