import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThanOrEqual, Repository } from 'typeorm';
import { BackgroundTask } from '../common/background-task';
import { oneLine } from '../common/retry-policy';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { DatedLine, returnTicketsOfDates, voucherReturned } from './inventory';
import { bookingEvent } from './booking-event';
import { StripeGateway } from '../payments/stripe-gateway';
import { freeSeatsOf } from '../seating/seat-holds';

/** Lapsed holds go back on sale within this long (PRODUCT.md asks for 30 seconds). */
const SWEEP_EVERY_MS = 5000;
const BATCH_SIZE = 100;

/**
 * Expires held bookings whose deadline has passed and puts their tickets back on sale, whether
 * or not anyone visits the site: every few seconds, on every process, up to 100 in a
 * transaction. A booking is expired only while it is still `pending` past its deadline, under
 * its row lock, so when processes sweep at once, or a payment or cancel lands at the same
 * moment, exactly one of them moves the booking and returns its tickets.
 */
@Injectable()
export class HoldSweeper extends BackgroundTask {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly transactions: TransactionRunner,
    private readonly domainEvents: DomainEvents,
    private readonly stripe: StripeGateway,
  ) {
    super('hold sweep', { delayMs: 0, pollMs: SWEEP_EVERY_MS });
  }

  protected pass(): Promise<number> {
    return this.sweep();
  }

  /** Expires every lapsed hold; returns how many this call expired (others may take some). */
  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const lapsed = await this.bookings.find({
        select: { id: true },
        where: { status: 'pending', expiresAt: LessThanOrEqual(new Date()) },
        order: { expiresAt: 'ASC' },
        take: BATCH_SIZE,
      });
      if (lapsed.length === 0 || this.background.isStopped) return expired;
      const done = await this.expire(lapsed.map(({ id }) => id));
      expired += done.length;
      for (const booking of done) {
        if (booking.stripeSessionId) await this.endCheckout(booking.stripeSessionId);
      }
      // Fewer than asked, or all taken by another process (it commits them soon): done for now.
      if (lapsed.length < BATCH_SIZE || done.length === 0) return expired;
    }
  }

  /**
   * Expires those of these bookings that are still held past their deadline, in one transaction,
   * and returns them (none paid, cancelled or expired by another meanwhile). The rows are locked
   * as they are read (PostgreSQL; rows another process is expiring are skipped, SQLite's write
   * lock serialises the sweeps), so each booking is expired, and its tickets returned, once.
   */
  private expire(ids: number[]): Promise<Booking[]> {
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const query = manager
        .createQueryBuilder(Booking, 'booking')
        .where("booking.id IN (:...ids) AND booking.status = 'pending'", { ids })
        .andWhere('booking.expires_at <= :now', { now })
        .orderBy('booking.id');
      if (isPostgres(manager)) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const bookings = await query.getMany();
      if (bookings.length === 0) return [];
      const expiredIds = bookings.map((booking) => booking.id);
      await manager
        .createQueryBuilder()
        .update(Booking)
        .set({ status: 'expired', expiresAt: null })
        .where("id IN (:...ids) AND status = 'pending'", { ids: expiredIds })
        .execute();
      const items = await manager.findBy(BookingItem, { bookingId: In(expiredIds) });
      for (const [eventId, lines] of await releasedTickets(manager, bookings, items)) {
        await returnTicketsOfDates(manager, eventId, lines);
      }
      await freeSeatsOf(manager, expiredIds);
      for (const booking of bookings) {
        await this.domainEvents.record(manager, bookingEvent('booking.expired', booking));
      }
      return bookings;
    });
  }

  /**
   * Ends the card payment page of a lapsed hold (Stripe keeps one open at least 30 minutes), so
   * that nobody pays for tickets no longer held. Should this fail, or the process stop first, a
   * payment that still completes is a late payment: its tickets are taken again, or it is refunded.
   */
  private async endCheckout(sessionId: string): Promise<void> {
    try {
      await this.stripe.expireCheckoutSession(sessionId);
    } catch (error) {
      this.logger.warn(`could not expire Checkout Session ${sessionId}: ${oneLine(error)}`);
    }
  }
}

/**
 * The tickets these bookings give back, once their vouchers have their uses back (vouchers in id
 * order, so two sweeps lock them in one order), added up per event, date and ticket type (events
 * in id order): those a voucher holds again marked `held`.
 */
async function releasedTickets(
  manager: EntityManager,
  bookings: Booking[],
  items: BookingItem[],
): Promise<[number, DatedLine[]][]> {
  const events = new Map<number, Map<string, DatedLine>>();
  const byVoucher = [...bookings].sort((a, b) => (a.voucherId ?? 0) - (b.voucherId ?? 0));
  for (const booking of byVoucher) {
    const own = items.filter((item) => item.bookingId === booking.id);
    const lines = await voucherReturned(manager, { voucherId: booking.voucherId, items: own });
    const sums = events.get(booking.eventId) ?? new Map<string, DatedLine>();
    for (const line of lines) {
      const key = `${booking.dateId}:${line.ticketTypeId}`;
      const sum = sums.get(key) ?? {
        dateId: booking.dateId,
        ticketTypeId: line.ticketTypeId,
        quantity: 0,
        held: 0,
      };
      sum.quantity += line.quantity;
      sum.held! += line.held ?? 0;
      sums.set(key, sum);
    }
    events.set(booking.eventId, sums);
  }
  return [...events]
    .sort(([a], [b]) => a - b)
    .map(([eventId, sums]) => [eventId, [...sums.values()]]);
}
