import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository } from 'typeorm';
import { Event } from './entities/event.entity';
import { EventWithDates, EventWithTicketTypes, pageOfEvents, withDates } from './event-pages';

/** An event with its ticket types and dates (with their tickets), as the public pages show it. */
export type PublishedEvent = EventWithDates;

/** The attendees' side: published events only. */
@Injectable()
export class EventCatalogService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  /** Published events with a date yet to start, soonest first: `limit` of them from `offset`, and how many in all. */
  async listUpcoming(
    limit: number,
    offset = 0,
  ): Promise<{ events: PublishedEvent[]; total: number }> {
    const upcoming = Raw(
      (id) =>
        `EXISTS (SELECT 1 FROM event_dates WHERE event_dates.event_id = ${id} AND event_dates.status = 'scheduled' AND event_dates.starts_at > :now)`,
      { now: new Date() },
    );
    const page = await pageOfEvents(
      this.events,
      { status: 'published', id: upcoming },
      limit,
      offset,
    );
    return { events: await withDates(this.events.manager, page.events), total: page.total };
  }

  /** Drafts and unknown ids are both "not found" to the public. */
  async findPublished(id: number): Promise<PublishedEvent> {
    const event = await this.events.findOne({
      where: { id, status: 'published' },
      relations: { ticketTypes: true },
      order: { ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
    });
    if (!event) throw new NotFoundException('No such event.');
    const [withTheirDates] = await withDates(this.events.manager, [event as EventWithTicketTypes]);
    return withTheirDates;
  }
}
