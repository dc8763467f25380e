import { EntityManager } from 'typeorm';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { EventDate } from '../events/entities/event-date.entity';
import { SalesClosedError } from './booking.errors';

/**
 * The date an order books, read in the booking's transaction: the one it names (a scheduled
 * date of this event), or the event's only upcoming one. Sales for a date close when it starts.
 */
export async function bookableDate(
  manager: EntityManager,
  eventId: number,
  dateId: number | undefined,
  now: Date,
): Promise<EventDate> {
  const scheduled = await manager.find(EventDate, {
    where: { eventId, status: 'scheduled' },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  if (dateId !== undefined) {
    const named = scheduled.find((date) => date.id === dateId);
    if (!named) throw new InvalidFieldError('dateId', 'Choose one of this event’s dates.');
    if (named.startsAt <= now) throw new SalesClosedError();
    return named;
  }
  const upcoming = scheduled.filter((date) => date.startsAt > now);
  if (upcoming.length === 0) throw new SalesClosedError();
  if (upcoming.length > 1) throw new InvalidFieldError('dateId', 'Choose a date.');
  return upcoming[0];
}
