import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { CheckoutSession, StripeGateway } from '../payments/stripe-gateway';
import { SettingsService } from '../settings/settings.service';
import { NotPendingError } from './booking.errors';
import { bookingEvent } from './booking-event';
import { BookingDetails, BookingService } from './booking.service';
import { Booking } from './entities/booking.entity';
import { retakeBooking } from './inventory';
import { payPagePath } from './booking-paths';
import { nextRefundSeq, recordRefund } from './refunds';

/** What a completed Checkout Session did to its booking. */
export type CardOutcome =
  | 'confirmed'
  | 'already-confirmed'
  /** Paid after the hold lapsed and its tickets were gone, or after a cancel: money sent back. */
  | 'refunded'
  | 'not-paid'
  | 'unknown-booking'
  | 'amount-mismatch';

/** A lapsed booking's tickets were sold again while its payment was on its way. */
class TicketsGoneError extends ConflictException {}

/**
 * Card payments through Stripe Checkout: starting a session for a held booking, and taking the
 * news that one was paid (from the webhook, or from the buyer's return when the webhook is late).
 * Confirming is a conditional UPDATE on a locked booking in one transaction, so the same payment
 * reported five times at once, or racing the expiry sweep and a cancel, has one outcome.
 */
@Injectable()
export class CardPaymentsService {
  private readonly logger = new Logger(CardPaymentsService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly bookings: BookingService,
    private readonly stripe: StripeGateway,
    private readonly settings: SettingsService,
    private readonly domainEvents: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  /** A Checkout Session for a held booking (the same one on a second click); its page's URL. */
  async startCheckout(reference: unknown, secret: unknown): Promise<string> {
    if (!this.stripe.enabled) {
      throw new InvalidFieldError('method', 'Choose one of the ways to pay shown on the page.');
    }
    const booking = await this.bookings.findVisible(reference, { secret });
    if (booking.status !== 'pending' || booking.expiresAt!.getTime() <= Date.now()) {
      throw new NotPendingError(booking);
    }
    const { currency } = await this.settings.get();
    const here = `${this.config.publicUrl}/booking/${booking.reference}`;
    const session = await this.stripe.createCheckoutSession({
      bookingReference: booking.reference,
      currency,
      lines: booking.items.map((item) => ({
        name: `${booking.eventTitle}: ${item.name}`,
        unitAmount: item.unitPriceCents,
        quantity: item.quantity,
      })),
      customerEmail: booking.attendeeEmail,
      expiresAt: booking.expiresAt!,
      successUrl: `${here}/paid?secret=${encodeURIComponent(booking.secret)}&session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${this.config.publicUrl}${payPagePath(booking)}`,
    });
    const recorded = await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .update(Booking)
        .set({ paymentMethod: 'stripe', stripeSessionId: session.id })
        .where("reference = :reference AND status = 'pending' AND expires_at > :now", {
          reference: booking.reference,
          now: new Date(),
        })
        .execute(),
    );
    if (!recorded.affected) {
      // Lapsed or cancelled meanwhile: nobody may pay for it now.
      await this.stripe.expireCheckoutSession(session.id);
      throw new NotPendingError(await this.bookings.findByReference(booking.reference));
    }
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
    return session.url;
  }

  /**
   * A Checkout Session reported paid: its booking is confirmed (held, or confirmed to pay at the
   * door), or takes its tickets again (lapsed, when they are all still free). A payment that
   * can no longer buy its tickets is refunded in full, and the buyer told. Reporting it again
   * changes nothing more.
   */
  async confirm(session: CheckoutSession): Promise<CardOutcome> {
    if (!session.paid) return 'not-paid';
    const found = session.bookingReference
      ? await this.bookings.findByReference(session.bookingReference).catch(() => undefined)
      : undefined;
    if (!found) {
      this.logger.error(`Checkout Session ${session.id} was paid for no booking of this site`);
      return 'unknown-booking';
    }
    const { currency } = await this.settings.get();
    if (
      session.amountTotal !== found.totalCents ||
      session.currency?.toLowerCase() !== currency.toLowerCase()
    ) {
      this.logger.error(
        `Checkout Session ${session.id} paid ${session.amountTotal} ${session.currency} ` +
          `for booking ${found.reference} of ${found.totalCents} ${currency}: not confirmed`,
      );
      return 'amount-mismatch';
    }
    try {
      return await this.transactions.run(async (manager) => {
        // What is read next is what the UPDATE finds: no cancel or expiry slips in between.
        await lockRow(manager, Booking, found.id, 'exclusive');
        const booking = (await this.bookings.findDetailsIn(manager, found.reference))!;
        if (booking.status === 'confirmed' && booking.paidAt) return 'already-confirmed';
        if (booking.status === 'cancelled') throw new TicketsGoneError();
        if (booking.status === 'expired' && !(await retakeBooking(manager, booking))) {
          throw new TicketsGoneError();
        }
        await manager
          .createQueryBuilder()
          .update(Booking)
          .set({
            status: 'confirmed',
            paidAt: new Date(),
            expiresAt: null,
            paymentMethod: 'stripe',
            stripeSessionId: session.id,
            stripePaymentIntent: session.paymentIntent,
          })
          .where('id = :id AND status = :status', { id: booking.id, status: booking.status })
          .execute();
        // Confirmed to pay at the door, then paid by card: it has its ticket mail already.
        if (booking.status !== 'confirmed')
          await this.domainEvents.record(manager, bookingEvent('booking.confirmed', booking));
        return 'confirmed';
      });
    } catch (error) {
      if (!(error instanceof TicketsGoneError)) throw error;
      return this.refundUnwanted(found, session);
    }
  }

  /**
   * Sends back a payment that bought nothing. The refund's key is the payment's own, so a
   * report of it delivered again refunds nothing more; when Stripe fails, the error goes back to
   * the webhook's sender, which delivers it again later.
   */
  private async refundUnwanted(
    booking: BookingDetails,
    session: CheckoutSession,
  ): Promise<CardOutcome> {
    if (booking.refundedCents > 0) return 'refunded';
    const provider = await this.stripe.refund(
      session.paymentIntent!,
      session.amountTotal!,
      `unwanted-${session.paymentIntent}`,
    );
    await this.transactions.run(async (manager) => {
      await lockRow(manager, Booking, booking.id, 'exclusive');
      if ((await nextRefundSeq(manager, booking.id)) > 1) return; // recorded by a report just before
      await manager.update(
        Booking,
        { id: booking.id },
        { stripePaymentIntent: session.paymentIntent },
      );
      const refund = { bookingId: booking.id, seq: 1, amountCents: session.amountTotal!, provider };
      if (await recordRefund(manager, { ...refund, createdBy: null }, booking.totalCents)) {
        await this.domainEvents.record(manager, bookingEvent('booking.refunded', booking));
      }
    });
    this.logger.warn(
      `booking ${booking.reference} was paid after it ${booking.status === 'cancelled' ? 'was cancelled' : 'lapsed and its tickets were sold again'}: refunded in full`,
    );
    return 'refunded';
  }
}
