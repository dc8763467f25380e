import { ConflictException, HttpStatus, Injectable } from '@nestjs/common';
import { ProviderFailedException } from '../common/errors/provider-failed.exception';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { formatCents } from '../common/money';
import { oneLine } from '../common/retry-policy';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { EventsService } from '../events/events.service';
import { StripeGateway } from '../payments/stripe-gateway';
import { BookingDetails, BookingService } from './booking.service';
import { Booking } from './entities/booking.entity';
import { Refund } from './entities/refund.entity';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { releaseBooking } from './inventory';
import { bookingEvent } from './booking-event';
import { nextRefundSeq, recordRefund } from './refunds';

/** What was paid for a booking and can still be refunded. */
export const refundableCents = (booking: BookingDetails) =>
  booking.paidAt ? booking.totalCents - booking.refundedCents : 0;

/**
 * Refunds by organisers (PRODUCT.md "Refunds"). A card payment is refunded through Stripe first,
 * with a key of the booking's reference and the refund's number, so a retry never refunds
 * twice; a provider failure changes nothing. Money paid by transfer or by hand is recorded as
 * returned by hand. Refunding everything still paid cancels the booking and returns its tickets.
 */
@Injectable()
export class BookingRefundsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly bookings: BookingService,
    private readonly events: EventsService,
    private readonly stripe: StripeGateway,
    private readonly domainEvents: DomainEvents,
    private readonly auditLog: AuditLogService,
    @InjectRepository(Refund) private readonly refunds: Repository<Refund>,
  ) {}

  /** A booking the user may refund (their event's, or any for an admin); 404 otherwise. */
  async findRefundable(user: SessionUser, reference: unknown): Promise<BookingDetails> {
    const booking = await this.bookings.findByReference(reference);
    await this.events.findManageable(user, booking.eventId);
    return booking;
  }

  /** Refunds `amountCents`, or everything not yet refunded; answers with the booking as it was found. */
  async refund(
    user: SessionUser,
    reference: unknown,
    amountCents?: number,
  ): Promise<{ refund: Refund; booking: BookingDetails }> {
    const booking = await this.findRefundable(user, reference);
    const refundable = refundableCents(booking);
    if (refundable <= 0) {
      throw new ConflictException(
        booking.paidAt
          ? 'Everything paid for this booking has been refunded already.'
          : 'Nothing has been paid for this booking, so there is nothing to refund.',
      );
    }
    const amount = amountCents ?? refundable;
    if (amount > refundable) {
      const error = new InvalidFieldError(
        'amount',
        `At most ${formatCents(refundable)} can be refunded.`,
        HttpStatus.UNPROCESSABLE_ENTITY,
        'amountCents',
      );
      error.apiStatus = HttpStatus.UNPROCESSABLE_ENTITY;
      throw error;
    }
    const seq = await nextRefundSeq(this.refunds.manager, booking.id);
    const provider = await this.refundAtProvider(booking, amount, seq);
    return this.transactions.run(async (manager) => {
      await lockRow(manager, Booking, booking.id, 'exclusive');
      const refund = await recordRefund(
        manager,
        { bookingId: booking.id, seq, amountCents: amount, provider, createdBy: user.id },
        booking.totalCents,
      );
      if (!refund) {
        throw new ConflictException(
          'Another refund of this booking came first: nothing more was refunded.',
        );
      }
      const after = (await this.bookings.findDetailsIn(manager, booking.reference))!;
      if (after.refundedCents >= after.totalCents && after.status === 'confirmed') {
        const cancelled = await manager
          .createQueryBuilder()
          .update(Booking)
          .set({ status: 'cancelled', cancelledAt: new Date() })
          .where("id = :id AND status = 'confirmed'", { id: booking.id })
          .execute();
        if (cancelled.affected) await releaseBooking(manager, booking);
      }
      await this.auditLog.record(
        manager,
        user,
        'booking.refunded',
        `booking ${booking.reference}`,
        `${formatCents(amount)} of ${eventSubject({ id: booking.eventId, title: booking.eventTitle })}`,
      );
      await this.domainEvents.record(manager, bookingEvent('booking.refunded', booking));
      return { refund, booking };
    });
  }

  /** The refund at Stripe of a card payment; undefined for money returned by hand. */
  private async refundAtProvider(booking: BookingDetails, amount: number, seq: number) {
    if (booking.paymentMethod !== 'stripe' || !booking.stripePaymentIntent) return undefined;
    try {
      return await this.stripe.refund(
        booking.stripePaymentIntent,
        amount,
        `refund-${booking.reference}-${seq}`,
      );
    } catch (error) {
      throw new ProviderFailedException(
        `Stripe did not make the refund, so nothing was changed: ${oneLine(error)}`,
      );
    }
  }
}
