import { EntityManager } from 'typeorm';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { EventDate } from '../entities/event-date.entity';

/**
 * The date a buyer (or a waiting-list entry) is for, read in the caller's transaction: the one
 * named (a scheduled date of this event), or the event's only upcoming one. Undefined when sales
 * for it have closed (a date's close when it starts); a 4xx at `dateId` when none fits or the
 * event has several upcoming dates and none was named.
 */
export async function bookableDate(
  manager: EntityManager,
  eventId: number,
  dateId: number | undefined,
  now: Date,
): Promise<EventDate | undefined> {
  const dates = await manager.find(EventDate, {
    where: { eventId },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  if (dateId !== undefined) {
    const named = dates.find((date) => date.id === dateId);
    if (!named) throw new InvalidFieldError('dateId', 'Choose one of this event’s dates.');
    if (named.status === 'cancelled')
      throw new InvalidFieldError('dateId', 'This date has been cancelled.');
    return named.startsAt > now ? named : undefined;
  }
  const scheduled = dates.filter((date) => date.status === 'scheduled');
  const upcoming = scheduled.filter((date) => date.startsAt > now);
  if (upcoming.length > 1) throw new InvalidFieldError('dateId', 'Choose a date.');
  return upcoming[0];
}
