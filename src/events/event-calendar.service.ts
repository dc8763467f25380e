import { Injectable } from '@nestjs/common';
import { ICalCalendar } from 'ical-generator';
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

  /** One VEVENT; drafts and unknown ids are a 404, as on the event page. */
  async ics(eventId: number): Promise<{ filename: string; body: string }> {
    const event = await this.catalog.findPublished(eventId);
    const calendar = new ICalCalendar({ prodId: { company: 'Boxoffice', product: 'Boxoffice' } });
    calendar.createEvent({
      // Stable per event, so importing the file again updates the entry instead of adding one.
      id: `event-${event.id}@${new URL(this.config.publicUrl).hostname}`,
      start: event.startsAt,
      end: event.endsAt ?? new Date(event.startsAt.getTime() + ASSUMED_DURATION_MS),
      summary: event.title,
      location: event.venue || null,
      description: event.description || null,
      url: `${this.config.publicUrl}/event/${event.id}`,
    });
    return { filename: `event-${event.id}.ics`, body: calendar.toString() };
  }
}
