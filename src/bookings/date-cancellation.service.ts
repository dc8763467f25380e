import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository } from 'typeorm';
import type { SessionUser } from '../auth/session-user';
import { EventDatesService } from '../events/dates/event-dates.service';
import type { EventDate } from '../events/entities/event-date.entity';
import { ProviderFailedException } from '../common/errors/provider-failed.exception';
import { BookingRefundsService, refundableCents } from './booking-refunds.service';
import { BookingService } from './booking.service';
import { Booking } from './entities/booking.entity';

export interface DateCancelled {
  date: EventDate;
  /** Bookings this call cancelled without money to return. */
  cancelled: number;
  /** Bookings this call refunded in full (which cancels them). */
  refunded: number;
  /** References whose refund the payment provider did not make: cancel the date again to retry. */
  failed: string[];
}

/**
 * Cancelling a date (PRODUCT.md "Dates"): the date stops selling at once (EventDatesService.cancel,
 * once), then each of its held and confirmed bookings ends: refunded in full when money was paid,
 * cancelled otherwise, each mailed as any cancellation or refund is. Every step is the booking's
 * own conditional change, so a second press (or two at once) ends nothing twice, and picks up
 * what a first one left (a refund the provider refused, a process stopped half way).
 */
@Injectable()
export class DateCancellation {
  constructor(
    private readonly dates: EventDatesService,
    private readonly bookings: BookingService,
    private readonly refunds: BookingRefundsService,
    @InjectRepository(Booking) private readonly stored: Repository<Booking>,
  ) {}

  async cancel(user: SessionUser, eventId: number, dateId: number): Promise<DateCancelled> {
    const { date } = await this.dates.cancel(user, eventId, dateId);
    return { date, ...(await this.endBookingsOf(user, date)) };
  }

  /**
   * Ends every held or confirmed booking of a cancelled date, acting as `user` (its organiser):
   * the press of cancel, or CancelledDateBookings picking up what a stopped process left.
   */
  async endBookingsOf(
    user: SessionUser,
    date: Pick<EventDate, 'id' | 'eventId'>,
  ): Promise<Omit<DateCancelled, 'date'>> {
    const outcome = { cancelled: 0, refunded: 0, failed: [] as string[] };
    for (let after = 0; ;) {
      const batch = await this.stored.find({
        select: { id: true, reference: true },
        where: { dateId: date.id, id: MoreThan(after), status: In(['pending', 'confirmed']) },
        order: { id: 'ASC' },
        take: 100,
      });
      if (batch.length === 0) return outcome;
      for (const { reference } of batch) await this.end(user, date.eventId, reference, outcome);
      after = batch[batch.length - 1].id;
    }
  }

  /** Ends one booking: a refund of everything paid, or a cancel while nothing is (re-read each time). */
  private async end(
    user: SessionUser,
    eventId: number,
    reference: string,
    outcome: Omit<DateCancelled, 'date'>,
  ): Promise<void> {
    // A payment may land between the read and the cancel: then the refund, on the next turn.
    for (let turn = 0; turn < 3; turn++) {
      const booking = await this.bookings.findByReference(reference);
      if (booking.status !== 'pending' && booking.status !== 'confirmed') return;
      try {
        if (refundableCents(booking) > 0) {
          await this.refunds.refund(user, reference);
          outcome.refunded++;
          return;
        }
        const after = await this.bookings.cancel(reference, {
          user,
          eventId,
          unlessRefundable: true,
        });
        if (after.status === 'cancelled') {
          outcome.cancelled++;
          return;
        }
      } catch (error) {
        // Another press came first (it refunded meanwhile): look again.
        if (error instanceof ConflictException) continue;
        if (!(error instanceof ProviderFailedException)) throw error;
        outcome.failed.push(reference);
        return;
      }
    }
  }
}
