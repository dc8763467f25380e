import type { DomainEvent } from '../domain-events/domain-event';

type BookingEventType = Extract<DomainEvent, { bookingId: number }>['type'];

/** The domain event of a step in a booking's life, as every booking event carries it. */
export const bookingEvent = <Type extends BookingEventType>(
  type: Type,
  booking: { id: number; eventId: number; attendeeEmail: string },
) =>
  ({
    type,
    bookingId: booking.id,
    eventId: booking.eventId,
    attendeeEmail: booking.attendeeEmail,
  }) as Extract<DomainEvent, { type: Type }>;
