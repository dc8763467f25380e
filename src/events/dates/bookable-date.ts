import { EntityManager, MoreThan } from 'typeorm';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { EventDate } from '../entities/event-date.entity';

/**
 * The date a buyer (or a waiting-list entry) is for, read in the caller's transaction: the one
 * named (a scheduled date of this event), or the event's only upcoming one. Undefined when sales
 * for it have closed (a date's close when it starts); a 4xx at `dateId` when none fits or the
 * event has several upcoming dates and none was named. One indexed read however many dates.
 */
export async function bookableDate(
  manager: EntityManager,
  eventId: number,
  dateId: number | undefined,
  now: Date,
): Promise<EventDate | undefined> {
  if (dateId !== undefined) {
    const named = await manager.findOneBy(EventDate, { id: dateId, eventId });
    if (!named) throw new InvalidFieldError('dateId', 'Choose one of this event’s dates.');
    if (named.status === 'cancelled')
      throw new InvalidFieldError('dateId', 'This date has been cancelled.');
    return named.startsAt > now ? named : undefined;
  }
  const upcoming = await manager.find(EventDate, {
    where: { eventId, status: 'scheduled', startsAt: MoreThan(now) },
    order: { startsAt: 'ASC', id: 'ASC' },
    take: 2,
  });
  if (upcoming.length > 1) throw new InvalidFieldError('dateId', 'Choose a date.');
  return upcoming[0];
}
