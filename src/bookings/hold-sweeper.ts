import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Repository } from 'typeorm';
import { BackgroundPass } from '../common/background-pass';
import { oneLine } from '../common/retry-policy';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { returnTickets } from './inventory';
import { StripeGateway } from '../payments/stripe-gateway';

/** Lapsed holds go back on sale within this long (PRODUCT.md asks for 30 seconds). */
const SWEEP_EVERY_MS = 5000;
const BATCH_SIZE = 100;

/**
 * Expires held bookings whose deadline has passed and puts their tickets back on sale, whether
 * or not anyone visits the site: every few seconds, on every process. Each expiry is its own
 * transaction around a conditional UPDATE (`WHERE status = 'pending' AND expires_at <= now`),
 * so when processes sweep at once, or a payment or cancel lands at the same moment, exactly
 * one of them moves the booking and returns its tickets.
 */
@Injectable()
export class HoldSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HoldSweeper.name);
  private readonly background = new BackgroundPass(() => this.sweepQuietly(), {
    delayMs: 0,
    pollMs: SWEEP_EVERY_MS,
  });

  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly transactions: TransactionRunner,
    private readonly domainEvents: DomainEvents,
    private readonly stripe: StripeGateway,
  ) {}

  onApplicationBootstrap(): void {
    this.background.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.background.stop();
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
      for (const { id } of lapsed) {
        if (this.background.isStopped) return expired;
        const booking = await this.expire(id);
        if (!booking) continue;
        expired++;
        if (booking.stripeSessionId) await this.endCheckout(booking.stripeSessionId);
      }
      if (lapsed.length < BATCH_SIZE) return expired;
    }
  }

  /** The booking this call expired; undefined when it was paid, cancelled or expired by another. */
  private expire(id: number): Promise<Booking | undefined> {
    return this.transactions.run(async (manager) => {
      const changed = await manager
        .createQueryBuilder()
        .update(Booking)
        .set({ status: 'expired', expiresAt: null })
        .where("id = :id AND status = 'pending' AND expires_at <= :now", { id, now: new Date() })
        .execute();
      if (!changed.affected) return undefined;
      const booking = await manager.findOneByOrFail(Booking, { id });
      const items = await manager.findBy(BookingItem, { bookingId: id });
      await returnTickets(manager, booking.eventId, items);
      await this.domainEvents.record(manager, {
        type: 'booking.expired',
        bookingId: id,
        eventId: booking.eventId,
        attendeeEmail: booking.attendeeEmail,
      });
      return booking;
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

  private async sweepQuietly(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      // The database is unreachable or closing: the next pass tries again.
      this.logger.warn(`hold sweep: ${oneLine(error)}`);
    }
  }
}
