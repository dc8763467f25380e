import { Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/session-user';
import { formatCents } from '../common/money';
import { EventsService } from '../events/events.service';
import { BookingDetails, BookingService } from './booking.service';
import { toCsv } from './csv';

export interface EventBookings {
  event: { id: number; title: string; startsAt: Date };
  bookings: BookingDetails[];
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
];

/** An organiser's view of one event's bookings: their own events only, admins all; 404 otherwise. */
@Injectable()
export class EventBookingsService {
  constructor(
    private readonly events: EventsService,
    private readonly bookings: BookingService,
  ) {}

  async list(user: SessionUser, eventId: number): Promise<EventBookings> {
    const event = await this.events.findManageable(user, eventId);
    return {
      event: { id: event.id, title: event.title, startsAt: event.startsAt },
      bookings: await this.bookings.listForEvent(event.id),
    };
  }

  /** The event's bookings as a CSV file, one row per booking. */
  async csv(user: SessionUser, eventId: number): Promise<{ filename: string; body: string }> {
    const { event, bookings } = await this.list(user, eventId);
    const rows = bookings.map((booking) => [
      booking.reference,
      booking.attendeeName,
      booking.attendeeEmail,
      booking.status,
      formatCents(booking.totalCents),
      booking.items.map((item) => `${item.quantity} x ${item.name}`).join('; '),
      booking.createdAt.toISOString(),
      booking.cancelledAt?.toISOString() ?? '',
      booking.checkedInAt?.toISOString() ?? '',
    ]);
    return { filename: `event-${event.id}-bookings.csv`, body: toCsv(BOOKINGS_CSV_HEADER, rows) };
  }

  /** Cancels a booking of this event (a reference of another event is a 404 here). */
  async cancel(user: SessionUser, eventId: number, reference: unknown): Promise<BookingDetails> {
    await this.events.findManageable(user, eventId);
    return this.bookings.cancel(reference, { user, eventId });
  }
}
