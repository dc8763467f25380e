import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { BookingDetails, BookingService } from '../bookings/booking.service';
import { Booking } from '../bookings/entities/booking.entity';
import { Ticket } from '../bookings/entities/ticket.entity';
import { TransactionRunner } from '../database/transaction-runner';
import { EventDate } from '../events/entities/event-date.entity';
import { Event } from '../events/entities/event.entity';
import { EventsService } from '../events/events.service';

/** The check-in page's header: the event and how much of its audience is in. */
export interface CheckInDesk {
  event: { id: number; title: string; startsAt: Date };
  /** The date at this door: the one chosen, or the event's date nearest now. */
  date: { id: number; startsAt: Date };
  /** Every date of an event that has several, to choose the door's from. */
  dates: { id: number; startsAt: Date; chosen: boolean }[];
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
  /** Confirmed, but for another of the event's dates (`holder.dateStartsAt` says which). */
  | 'other-date'
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
    /** The start of the date the booking is for. */
    dateStartsAt: Date;
  };
}

/** Checking bookings in at the door: the event's organiser or an admin; anyone else gets a 404. */
@Injectable()
export class CheckInService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(EventDate) private readonly dates: Repository<EventDate>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly bookingDetails: BookingService,
  ) {}

  /** The door of one of the event's dates (`dateId`; none: the date nearest now). */
  async desk(user: SessionUser, eventId: number, dateId?: number): Promise<CheckInDesk> {
    const door = await this.doorOf(await this.events.findManageable(user, eventId), dateId);
    return { ...door, ...(await this.counts(eventId, door.date.id)) };
  }

  /**
   * Checks in the booking with this reference, if it is a confirmed booking of this event's date
   * at this door, not yet checked in. The check and the write are one conditional UPDATE, so when
   * two doors scan one ticket at the same moment exactly one of them checks it in and the other
   * is told "already". A ticket for another date is refused, saying which date it is for.
   */
  async checkIn(
    user: SessionUser,
    eventId: number,
    reference: string,
    dateId?: number,
  ): Promise<{ desk: CheckInDesk; outcome: CheckInOutcome }> {
    const event = await this.events.findManageable(user, eventId);
    const door = await this.doorOf(event, dateId);
    const outcome = await this.transactions.run(async (manager) => {
      const now = new Date();
      const { affected } = await manager
        .createQueryBuilder()
        .update(Booking)
        .set({ checkedInAt: now })
        .where(
          "reference = :reference AND event_id = :eventId AND status = 'confirmed' AND checked_in_at IS NULL",
          { reference, eventId: event.id },
        )
        .andWhere('date_id = :dateId', { dateId: door.date.id })
        .execute();
      // The reference lets the whole booking in: every ticket of it not yet in.
      if (affected) await this.checkInTicketsOf(manager, reference, now);
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
      return {
        result: resultOf(booking, Boolean(affected), door.date.id),
        reference,
        holder: holderOf(booking),
      };
    });
    return { desk: { ...door, ...(await this.counts(event.id, door.date.id)) }, outcome };
  }

  private async checkInTicketsOf(manager: EntityManager, reference: string, now: Date) {
    await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ checkedInAt: now })
      .where('checked_in_at IS NULL')
      .andWhere('booking_id IN (SELECT id FROM bookings WHERE reference = :reference)', {
        reference,
      })
      .execute();
  }

  /** The event and the date at this door, and its other dates. */
  private async doorOf(
    event: Event,
    dateId: number | undefined,
  ): Promise<Omit<CheckInDesk, 'tickets' | 'bookings'>> {
    const dates = await this.dates.find({
      where: { eventId: event.id },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    const date = dates.find((candidate) => candidate.id === dateId) ?? nearestDate(dates);
    return {
      event: { id: event.id, title: event.title, startsAt: event.startsAt },
      date: { id: date.id, startsAt: date.startsAt },
      dates:
        dates.length > 1
          ? dates.map(({ id, startsAt }) => ({ id, startsAt, chosen: id === date.id }))
          : [],
    };
  }

  private async counts(
    eventId: number,
    dateId: number,
  ): Promise<Pick<CheckInDesk, 'tickets' | 'bookings'>> {
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
      .andWhere('booking.date_id = :dateId', { dateId })
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

function resultOf(booking: BookingDetails, checkedInNow: boolean, dateId: number): CheckInResult {
  if (checkedInNow) return 'checked-in';
  if (booking.status !== 'confirmed') return booking.status;
  return booking.dateId === dateId ? 'already-checked-in' : 'other-date';
}

/** The door's date when none is chosen: the scheduled one starting nearest now (tonight's). */
function nearestDate(dates: EventDate[], now = Date.now()): EventDate {
  const scheduled = dates.filter((date) => date.status === 'scheduled');
  const distance = (date: EventDate) => Math.abs(date.startsAt.getTime() - now);
  return [...(scheduled.length ? scheduled : dates)].sort((a, b) => distance(a) - distance(b))[0];
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
    dateStartsAt: booking.dateStartsAt,
  };
}
