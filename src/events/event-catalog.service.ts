import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { Event } from './entities/event.entity';
import { EventWithTicketTypes, pageOfEvents } from './event-pages';

/** An event with its ticket types, as the public pages show it. */
export type PublishedEvent = EventWithTicketTypes;

/** The attendees' side: published events only. */
@Injectable()
export class EventCatalogService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  /** Published events yet to start, soonest first: `limit` of them from `offset`, and how many in all. */
  async listUpcoming(
    limit: number,
    offset = 0,
  ): Promise<{ events: PublishedEvent[]; total: number }> {
    const where = { status: 'published' as const, startsAt: MoreThan(new Date()) };
    return pageOfEvents(this.events, where, limit, offset);
  }

  /** Drafts and unknown ids are both "not found" to the public. */
  async findPublished(id: number): Promise<PublishedEvent> {
    const event = await this.events.findOne({
      where: { id, status: 'published' },
      relations: { ticketTypes: true },
      order: { ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
    });
    if (!event) throw new NotFoundException('No such event.');
    return event as PublishedEvent;
  }
}
