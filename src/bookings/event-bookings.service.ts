import { Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/session-user';
import { formatCents } from '../common/money';
import { EventsService } from '../events/events.service';
import { BookingDetails, BookingService } from './booking.service';
import { csvRecord } from '../common/csv';

export interface EventBookingsPage {
  event: { id: number; title: string; startsAt: Date };
  /** The event's dates, when it has several: the list can show one date's bookings. */
  dates: { id: number; startsAt: Date; chosen: boolean }[];
  /** Whether the viewer manages the event: a door volunteer sees no money and changes nothing. */
  manages: boolean;
  bookings: BookingDetails[];
  /** How many bookings the event (or the date chosen) has in all. */
  total: number;
}

export const BOOKINGS_CSV_HEADER = [
  'reference',
  'attendee_name',
  'attendee_email',
  'status',
  'total',
  'items',
  'created_at',
  'cancelled_at',
  'checked_in_at',
  'payment_method',
  'paid_at',
  'refunded',
  'expires_at',
  'date',
  'voucher',
  'seats',
];

/** An organiser's view of one event's bookings: their own events only, admins all; 404 otherwise. */
@Injectable()
export class EventBookingsService {
  constructor(
    private readonly events: EventsService,
    private readonly bookings: BookingService,
  ) {}

  /** One page of the event's bookings (or one date's: `dateId`), newest first. */
  async page(
    user: SessionUser,
    eventId: number,
    limit: number,
    offset: number,
    dateId?: number,
  ): Promise<EventBookingsPage> {
    const [event] = await this.events.withDates([
      await this.events.findManageable(user, eventId, 'door'),
    ]);
    return {
      event: { id: event.id, title: event.title, startsAt: event.startsAt },
      manages: await this.events.mayManage(user, event),
      dates:
        event.dates.length > 1
          ? event.dates.map(({ id, startsAt }) => ({ id, startsAt, chosen: id === dateId }))
          : [],
      ...(await this.bookings.pageForEvent({ eventId: event.id, dateId }, limit, offset)),
    };
  }

  /**
   * The event's bookings as a CSV file, one row per booking, written as it is read (a page of
   * bookings at a time), so an export of any size never sits in memory whole.
   */
  async csv(
    user: SessionUser,
    eventId: number,
    dateId?: number,
  ): Promise<{ filename: string; chunks: AsyncIterable<string> }> {
    const event = await this.events.findManageable(user, eventId);
    const bookings = this.bookings;
    async function* chunks() {
      yield csvRecord(BOOKINGS_CSV_HEADER);
      for await (const batch of bookings.everyBookingOf({ eventId: event.id, dateId })) {
        yield batch.map((booking) => csvRecord(csvRow(booking))).join('');
      }
    }
    const name = dateId === undefined ? `event-${event.id}` : `event-${event.id}-date-${dateId}`;
    return { filename: `${name}-bookings.csv`, chunks: chunks() };
  }

  /** Cancels a booking of this event (a reference of another event is a 404 here). */
  async cancel(user: SessionUser, eventId: number, reference: unknown): Promise<BookingDetails> {
    await this.events.findManageable(user, eventId);
    return this.bookings.cancel(reference, { user, eventId });
  }
}

function csvRow(booking: BookingDetails) {
  return [
    booking.reference,
    booking.attendeeName,
    booking.attendeeEmail,
    booking.status,
    formatCents(booking.totalCents),
    booking.items.map((item) => `${item.quantity} x ${item.name}`).join('; '),
    booking.createdAt.toISOString(),
    booking.cancelledAt?.toISOString() ?? '',
    booking.checkedInAt?.toISOString() ?? '',
    booking.paymentMethod ?? '',
    booking.paidAt?.toISOString() ?? '',
    formatCents(booking.refundedCents),
    booking.expiresAt?.toISOString() ?? '',
    booking.dateStartsAt.toISOString(),
    booking.voucherCode ?? '',
    booking.tickets
      .flatMap(({ seat }) => (seat ? [`${seat.section}, row ${seat.row}, seat ${seat.seat}`] : []))
      .join('; '),
  ];
}
