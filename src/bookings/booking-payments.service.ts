import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import type { BuyerPaymentMethod } from '../payments/payment-method';
import { PaymentOptions } from '../payments/payment-options.service';
import { secretsMatch } from './booking-reference';
import { BookingDetails, BookingService } from './booking.service';
import { Booking } from './entities/booking.entity';
import { retakeBooking } from './inventory';
import { CardPaymentsService } from './card-payments.service';
import { NotPendingError } from './booking.errors';
import { bookingEvent } from './booking-event';
import { EventsService } from '../events/events.service';
import { bankTransferHoldEnd } from './payment-plan';
import { bookingPagePath, successPagePath } from './booking-paths';

/**
 * The money side of a booking's life: the buyer choosing how to pay a held booking, and an
 * organiser recording money received. Each step is one conditional UPDATE on the booking
 * (`WHERE status = 'pending' …`) in one transaction, so it happens once, whatever runs beside it
 * (another click, the expiry sweep, a cancel).
 */
@Injectable()
export class BookingPaymentsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly bookings: BookingService,
    private readonly paymentOptions: PaymentOptions,
    private readonly domainEvents: DomainEvents,
    private readonly auditLog: AuditLogService,
    private readonly events: EventsService,
    private readonly cards: CardPaymentsService,
  ) {}

  /**
   * The pay page's one entry point for every way to pay: makes the buyer's choice and answers
   * where the buyer goes next (Stripe's checkout page, the ticket, or the booking's page).
   */
  async pay(reference: unknown, secret: unknown, method: unknown): Promise<string> {
    if (method === 'stripe') return this.cards.startCheckout(reference, secret);
    const booking = await this.choose(reference, secret, method);
    return booking.status === 'confirmed' ? successPagePath(booking) : bookingPagePath(booking);
  }

  /**
   * The buyer's choice on the pay page: `on_site` confirms the booking (paid at the door);
   * `bank_transfer` keeps it held, for the site's transfer days from now (never past the event's
   * start). Refused, changing nothing, for a method not offered or a booking no longer held;
   * the same choice made again (a double click) answers with the booking as it is.
   */
  async choose(reference: unknown, secret: unknown, method: unknown): Promise<BookingDetails> {
    const offered = await this.paymentOptions.offered();
    if (!offered.includes(method as BuyerPaymentMethod) || method === 'stripe') {
      // A card payment starts elsewhere (CardPaymentsService.startCheckout).
      throw new InvalidFieldError('method', 'Choose one of the ways to pay shown on the page.');
    }
    const days = await this.paymentOptions.bankTransferDays();
    return this.transactions.run(async (manager) => {
      const booking = await this.findIn(manager, reference, secret);
      const now = new Date();
      const changes =
        method === 'on_site'
          ? { status: 'confirmed' as const, paymentMethod: 'on_site' as const, expiresAt: null }
          : {
              paymentMethod: 'bank_transfer' as const,
              expiresAt: bankTransferHoldEnd(now, days!, booking.dateStartsAt),
            };
      const query = manager
        .createQueryBuilder()
        .update(Booking)
        .set(changes)
        .where("reference = :reference AND status = 'pending' AND expires_at > :now", {
          reference: booking.reference,
          now,
        });
      // A transfer chosen twice keeps its first deadline (and sends its details once).
      if (method === 'bank_transfer') {
        query.andWhere("(payment_method IS NULL OR payment_method <> 'bank_transfer')");
      }
      const changed = await query.execute();
      const current = (await this.bookings.findDetailsIn(manager, booking.reference))!;
      if (!changed.affected) {
        if (alreadyChosen(current, method)) return current;
        throw new NotPendingError(current);
      }
      const type = method === 'on_site' ? 'booking.confirmed' : 'booking.payment_due';
      await this.domainEvents.record(manager, bookingEvent(type, booking));
      return current;
    });
  }

  /**
   * An organiser records the money received (a transfer arrived, or paid at the door). A held
   * booking is confirmed, even when its deadline has just passed and the sweep has not yet run:
   * its tickets are still held. A booking that lapsed takes its tickets again when they are all
   * still free (409, nothing changed, when they are not: the transfer must be sent back).
   * Marking a booking already paid changes nothing.
   */
  async markPaid(user: SessionUser, reference: unknown): Promise<BookingDetails> {
    const { id, eventId } = await this.bookings.findByReference(reference);
    await this.events.findManageable(user, eventId);
    return this.transactions.run(async (manager) => {
      // What is read next is what the UPDATE below finds: no cancel or expiry slips in between.
      await lockRow(manager, Booking, id, 'exclusive');
      const booking = (await this.bookings.findDetailsIn(manager, reference))!;
      if (booking.paidAt || booking.paymentMethod === 'free') return booking;
      if (booking.status === 'cancelled') {
        throw new ConflictException(
          `Booking ${booking.reference} is cancelled: it cannot be marked paid.`,
        );
      }
      const paid = { status: 'confirmed' as const, paidAt: new Date(), expiresAt: null };
      if (booking.status === 'expired') {
        if (!(await retakeBooking(manager, booking))) {
          throw new ConflictException(
            'The tickets of this lapsed booking have been sold again: send the money back.',
          );
        }
      }
      const changed = await manager
        .createQueryBuilder()
        .update(Booking)
        .set(booking.status === 'confirmed' ? { paidAt: paid.paidAt } : paid)
        .where('reference = :reference AND status = :status AND paid_at IS NULL', {
          reference: booking.reference,
          status: booking.status,
        })
        .execute();
      if (!changed.affected) throw new NotPendingError(booking);
      if (booking.status !== 'confirmed') {
        await this.domainEvents.record(manager, bookingEvent('booking.confirmed', booking));
      }
      await this.auditLog.record(
        manager,
        user,
        'booking.marked-paid',
        `booking ${booking.reference}`,
        eventSubject({ id: booking.eventId, title: booking.eventTitle }),
      );
      return (await this.bookings.findDetailsIn(manager, booking.reference))!;
    });
  }

  private async findIn(
    manager: EntityManager,
    reference: unknown,
    secret: unknown,
  ): Promise<BookingDetails> {
    const booking = await this.bookings.findDetailsIn(manager, reference);
    if (!booking || !secretsMatch(booking.secret, secret)) {
      throw new NotFoundException('No such booking.');
    }
    return booking;
  }
}

/** The buyer's choice was already taken: confirmed to pay at the door, or held for a transfer. */
function alreadyChosen(booking: BookingDetails, method: unknown): boolean {
  if (booking.paymentMethod !== method) return false;
  return method === 'on_site' ? booking.status === 'confirmed' : booking.status === 'pending';
}
