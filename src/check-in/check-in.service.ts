import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { BookingDetails, BookingService } from '../bookings/booking.service';
import { Booking } from '../bookings/entities/booking.entity';
import { TransactionRunner } from '../database/transaction-runner';
import { Event } from '../events/entities/event.entity';
import { EventsService } from '../events/events.service';

/** The check-in page's header: the event and how much of its audience is in. */
export interface CheckInDesk {
  event: { id: number; title: string; startsAt: Date };
  /** Tickets and bookings of confirmed bookings: all of them, and those checked in. */
  tickets: { checkedIn: number; total: number };
  bookings: { checkedIn: number; total: number };
}

export type CheckInResult =
  | 'checked-in'
  | 'already-checked-in'
  /** Held, not yet paid (a transfer on its way): not valid for entry until marked paid. */
  | 'pending'
  | 'expired'
  | 'cancelled'
  | 'unknown';

export interface CheckInOutcome {
  result: CheckInResult;
  reference: string;
  /** Who the booking is for; absent when the reference names no booking of this event. */
  holder?: {
    attendeeName: string;
    items: { name: string; quantity: number }[];
    checkedInAt: Date | null;
    /** Money still to take for this booking at the door (0 when paid or free). */
    dueCents: number;
  };
}

/** Checking bookings in at the door: the event's organiser or an admin; anyone else gets a 404. */
@Injectable()
export class CheckInService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly bookingDetails: BookingService,
  ) {}

  async desk(user: SessionUser, eventId: number): Promise<CheckInDesk> {
    return this.deskOf(await this.events.findManageable(user, eventId));
  }

  /**
   * Checks in the booking with this reference, if it is a confirmed booking of this event not yet
   * checked in. The check and the write are one conditional UPDATE, so when two doors scan one
   * ticket at the same moment exactly one of them checks it in and the other is told "already".
   */
  async checkIn(
    user: SessionUser,
    eventId: number,
    reference: string,
  ): Promise<{ desk: CheckInDesk; outcome: CheckInOutcome }> {
    const event = await this.events.findManageable(user, eventId);
    const outcome = await this.transactions.run(async (manager) => {
      const { affected } = await manager
        .createQueryBuilder()
        .update(Booking)
        .set({ checkedInAt: new Date() })
        .where(
          "reference = :reference AND event_id = :eventId AND status = 'confirmed' AND checked_in_at IS NULL",
          { reference, eventId: event.id },
        )
        .execute();
      const booking = await this.bookingDetails.findDetailsIn(manager, reference);
      // A reference of another event is as unknown here as a made-up one.
      if (booking?.eventId !== event.id) return { result: 'unknown' as const, reference };
      if (affected) {
        await this.auditLog.record(
          manager,
          user,
          'booking.checked-in',
          `booking ${reference}`,
          eventSubject(event),
        );
      }
      return { result: resultOf(booking, Boolean(affected)), reference, holder: holderOf(booking) };
    });
    return { desk: await this.deskOf(event), outcome };
  }

  private async deskOf(event: Event): Promise<CheckInDesk> {
    return {
      event: { id: event.id, title: event.title, startsAt: event.startsAt },
      ...(await this.counts(event.id)),
    };
  }

  private async counts(eventId: number): Promise<Pick<CheckInDesk, 'tickets' | 'bookings'>> {
    const checkedIn = 'booking.checked_in_at IS NOT NULL';
    const row = await this.bookings
      .createQueryBuilder('booking')
      .innerJoin('booking.items', 'item')
      .select('COUNT(DISTINCT booking.id)', 'bookings')
      .addSelect(`COUNT(DISTINCT CASE WHEN ${checkedIn} THEN booking.id END)`, 'checkedInBookings')
      .addSelect('COALESCE(SUM(item.quantity), 0)', 'tickets')
      .addSelect(
        `COALESCE(SUM(CASE WHEN ${checkedIn} THEN item.quantity ELSE 0 END), 0)`,
        'checkedInTickets',
      )
      .where("booking.event_id = :eventId AND booking.status = 'confirmed'", { eventId })
      .getRawOne<Record<string, string | number>>();
    // PostgreSQL returns counts and sums as strings.
    return {
      tickets: { checkedIn: Number(row?.checkedInTickets ?? 0), total: Number(row?.tickets ?? 0) },
      bookings: {
        checkedIn: Number(row?.checkedInBookings ?? 0),
        total: Number(row?.bookings ?? 0),
      },
    };
  }
}

function resultOf(booking: BookingDetails, checkedInNow: boolean): CheckInResult {
  if (checkedInNow) return 'checked-in';
  return booking.status === 'confirmed' ? 'already-checked-in' : booking.status;
}

function holderOf(booking: BookingDetails): CheckInOutcome['holder'] {
  return {
    attendeeName: booking.attendeeName,
    items: booking.items.map(({ name, quantity }) => ({ name, quantity })),
    checkedInAt: booking.checkedInAt,
    dueCents:
      booking.paidAt || booking.paymentMethod === 'free'
        ? 0
        : booking.totalCents - booking.refundedCents,
  };
}
