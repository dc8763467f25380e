import { Injectable, NotFoundException } from '@nestjs/common';
import { ICalCalendar, ICalEventStatus } from 'ical-generator';
import { AppConfig } from '../config/app-config';
import { EventCatalogService } from './event-catalog.service';

/** An event that does not say when it ends gets this long a slot in calendars. */
const ASSUMED_DURATION_MS = 2 * 60 * 60 * 1000;

/** A published event as an iCalendar file, for attendees' calendars. */
@Injectable()
export class EventCalendarService {
  constructor(
    private readonly catalog: EventCatalogService,
    private readonly config: AppConfig,
  ) {}

  /**
   * One VEVENT per scheduled date (a one-date event keeps the UID it always had), or only the
   * date asked for (`dateId`: a booking's). Drafts and unknown ids or dates are a 404, as on the
   * event page.
   */
  async ics(eventId: number, dateId?: number): Promise<{ filename: string; body: string }> {
    const event = await this.catalog.findPublished(eventId);
    const dates =
      dateId === undefined
        ? event.dates.filter((date) => date.status === 'scheduled')
        : event.dates.filter((date) => date.id === dateId);
    if (dates.length === 0) throw new NotFoundException('No such date.');
    const host = new URL(this.config.publicUrl).hostname;
    const calendar = new ICalCalendar({ prodId: { company: 'Boxoffice', product: 'Boxoffice' } });
    for (const date of dates) {
      calendar.createEvent({
        // Stable per date, so importing the file again updates the entry instead of adding one.
        id:
          event.dates.length === 1
            ? `event-${event.id}@${host}`
            : `event-${event.id}-date-${date.id}@${host}`,
        start: date.startsAt,
        end: date.endsAt ?? new Date(date.startsAt.getTime() + ASSUMED_DURATION_MS),
        summary: event.title,
        status: date.status === 'cancelled' ? ICalEventStatus.CANCELLED : null,
        location: event.venue || null,
        description: event.description || null,
        url: `${this.config.publicUrl}/event/${event.id}${event.dates.length === 1 ? '' : `?date=${date.id}`}`,
      });
    }
    const name = dateId === undefined ? `event-${event.id}` : `event-${event.id}-date-${dateId}`;
    return { filename: `${name}.ics`, body: calendar.toString() };
  }
}
