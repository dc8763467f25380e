import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { BookingDetails, BookingService, TicketSeat } from '../bookings/booking.service';
import { Booking } from '../bookings/entities/booking.entity';
import { Ticket } from '../bookings/entities/ticket.entity';
import { TICKET_CODE } from '../bookings/ticket-code';
import { lockRow } from '../database/locks';
import { DomainEvents } from '../domain-events/domain-events.service';
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
  /** Whether the one at the door manages the event: a door volunteer takes no money. */
  manages: boolean;
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
  /** The booking's reference; what was scanned when it names no booking of this event. */
  reference: string;
  /** The ticket scanned, when a ticket's code was (absent for a booking's reference). */
  ticket?: CheckedInTicket;
  /** When what was scanned came in: the ticket, or the last ticket of the booking. */
  checkedInAt?: Date | null;
  /** Tickets let in by this scan: the ticket, or every ticket of the booking not yet in. */
  admitted?: number;
  /** Who the booking is for; absent when the reference names no booking of this event. */
  holder?: {
    attendeeName: string;
    items: { name: string; quantity: number }[];
    /** When the last of its tickets came in (null while any is out). */
    checkedInAt: Date | null;
    /** Its tickets, and how many of them are in. */
    tickets: { checkedIn: number; total: number };
    /** Money still to take for this booking at the door (0 when paid or free). */
    dueCents: number;
    /** The start of the date the booking is for. */
    dateStartsAt: Date;
  };
}

export interface CheckedInTicket {
  code: string;
  /** The ticket type's name. */
  name: string;
  attendeeName: string | null;
  seat: TicketSeat | null;
  checkedInAt: Date | null;
}

/** Checking bookings in at the door: the event's organiser or an admin; anyone else gets a 404. */
@Injectable()
export class CheckInService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(EventDate) private readonly dates: Repository<EventDate>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly bookingDetails: BookingService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** The door of one of the event's dates (`dateId`; none: the date nearest now). */
  async desk(user: SessionUser, eventId: number, dateId?: number): Promise<CheckInDesk> {
    const event = await this.events.findManageable(user, eventId, 'door');
    const door = await this.doorOf(user, event, dateId);
    return { ...door, ...(await this.counts(eventId, door.date.id)) };
  }

  /**
   * Checks in what was scanned at the door: one ticket by its code, or a booking by its reference
   * (every ticket of it not yet in), if the booking is confirmed and for the date at this door.
   * The booking's row is locked first, so scans of its tickets take turns across processes, and
   * each ticket is let in by a conditional UPDATE: when two doors scan one ticket at the same
   * moment exactly one lets it in and the other is told "already", with the time of the first.
   */
  async checkIn(
    user: SessionUser,
    eventId: number,
    scanned: string,
    dateId?: number,
  ): Promise<{ desk: CheckInDesk; outcome: CheckInOutcome }> {
    const event = await this.events.findManageable(user, eventId, 'door');
    const door = await this.doorOf(user, event, dateId);
    const outcome = await this.transactions.run(async (manager) => {
      const ticketCode = TICKET_CODE.test(scanned) ? scanned : undefined;
      const found = await bookingScanned(manager, event.id, scanned, ticketCode);
      // A code or reference of another event is as unknown here as a made-up one.
      if (!found) return { result: 'unknown' as const, reference: scanned };
      const { reference } = found;
      // Scans of one booking's tickets take turns (PostgreSQL; SQLite writes one at a time), and
      // what is read next includes what another door committed while this one waited.
      await lockRow(manager, Booking, found.id, 'exclusive');
      const booking = (await this.bookingDetails.findDetailsIn(manager, reference))!;
      const refusal = refusalOf(booking, door.date.id);
      if (refusal) return outcomeOf(refusal, booking, ticketCode);
      const now = new Date();
      const admitted = await admit(manager, booking.id, ticketCode, now);
      if (!admitted) return outcomeOf('already-checked-in', booking, ticketCode);
      await markInWhenEveryTicketIs(manager, booking.id, now);
      await this.domainEvents.record(manager, {
        type: 'booking.checked_in',
        bookingId: booking.id,
        eventId: event.id,
        attendeeEmail: booking.attendeeEmail,
      });
      await this.auditLog.record(
        manager,
        user,
        'booking.checked-in',
        ticketCode ? `ticket ${ticketCode} of booking ${reference}` : `booking ${reference}`,
        eventSubject(event),
      );
      const after = (await this.bookingDetails.findDetailsIn(manager, reference))!;
      return { ...outcomeOf('checked-in', after, ticketCode), admitted };
    });
    return { desk: { ...door, ...(await this.counts(event.id, door.date.id)) }, outcome };
  }

  /** The event and the date at this door, and its other dates. */
  private async doorOf(
    user: SessionUser,
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
      manages: await this.events.mayManage(user, event),
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
    const [tickets, bookings] = await Promise.all([
      this.countIn(
        this.tickets
          .createQueryBuilder('ticket')
          .innerJoin('ticket.booking', 'booking')
          .select('COUNT(*)', 'total')
          .addSelect('COUNT(ticket.checked_in_at)', 'checkedIn'),
        eventId,
        dateId,
      ),
      this.countIn(
        this.bookings
          .createQueryBuilder('booking')
          .select('COUNT(*)', 'total')
          .addSelect('COUNT(booking.checked_in_at)', 'checkedIn'),
        eventId,
        dateId,
      ),
    ]);
    return { tickets, bookings };
  }

  /** Counts of `query` (`total`, `checkedIn`) over the confirmed bookings of the event's date. */
  private async countIn(
    query: SelectQueryBuilder<Ticket> | SelectQueryBuilder<Booking>,
    eventId: number,
    dateId: number,
  ): Promise<{ checkedIn: number; total: number }> {
    const row = await query
      .where("booking.event_id = :eventId AND booking.status = 'confirmed'", { eventId })
      .andWhere('booking.date_id = :dateId', { dateId })
      .getRawOne<{ total: string | number; checkedIn: string | number }>();
    // PostgreSQL returns counts as strings.
    return { checkedIn: Number(row?.checkedIn ?? 0), total: Number(row?.total ?? 0) };
  }
}

/** The booking this event's ticket code or booking reference names, if any. */
async function bookingScanned(
  manager: EntityManager,
  eventId: number,
  scanned: string,
  ticketCode: string | undefined,
): Promise<{ id: number; reference: string } | undefined> {
  const query = manager
    .createQueryBuilder(Booking, 'booking')
    .select(['booking.id AS id', 'booking.reference AS reference'])
    .where('booking.event_id = :eventId', { eventId });
  if (ticketCode) {
    query.innerJoin('booking.tickets', 'ticket', 'ticket.code = :ticketCode', { ticketCode });
  } else {
    query.andWhere('booking.reference = :scanned', { scanned });
  }
  const row = await query.getRawOne<{ id: number; reference: string }>();
  return row && { id: Number(row.id), reference: row.reference };
}

/** Why this booking may not come in at this door, if it may not. */
function refusalOf(booking: BookingDetails, dateId: number): CheckInResult | undefined {
  if (booking.status !== 'confirmed') return booking.status;
  return booking.dateId === dateId ? undefined : 'other-date';
}

/** Lets in the ticket with this code, or every ticket of the booking not yet in: how many. */
async function admit(
  manager: EntityManager,
  bookingId: number,
  ticketCode: string | undefined,
  now: Date,
): Promise<number> {
  const update = manager
    .createQueryBuilder()
    .update(Ticket)
    .set({ checkedInAt: now })
    .where('booking_id = :bookingId AND checked_in_at IS NULL', { bookingId });
  if (ticketCode) update.andWhere('code = :ticketCode', { ticketCode });
  return (await update.execute()).affected ?? 0;
}

/** A booking is checked in once every ticket of it is. */
async function markInWhenEveryTicketIs(manager: EntityManager, bookingId: number, now: Date) {
  await manager
    .createQueryBuilder()
    .update(Booking)
    .set({ checkedInAt: now })
    .where('id = :bookingId AND checked_in_at IS NULL', { bookingId })
    .andWhere(
      'NOT EXISTS (SELECT 1 FROM tickets WHERE tickets.booking_id = :bookingId AND tickets.checked_in_at IS NULL)',
    )
    .execute();
}

function outcomeOf(
  result: CheckInResult,
  booking: BookingDetails,
  ticketCode: string | undefined,
): CheckInOutcome {
  const ticket = booking.tickets.find(({ code }) => code === ticketCode);
  return {
    result,
    reference: booking.reference,
    checkedInAt: ticket ? ticket.checkedInAt : booking.checkedInAt,
    ...(ticket && {
      ticket: {
        code: ticket.code,
        name: ticket.name,
        attendeeName: ticket.attendeeName,
        seat: ticket.seat,
        checkedInAt: ticket.checkedInAt,
      },
    }),
    holder: holderOf(booking),
  };
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
    tickets: {
      checkedIn: booking.tickets.filter((ticket) => ticket.checkedInAt).length,
      total: booking.tickets.length,
    },
    dueCents:
      booking.paidAt || booking.paymentMethod === 'free'
        ? 0
        : booking.totalCents - booking.refundedCents,
    dateStartsAt: booking.dateStartsAt,
  };
}
