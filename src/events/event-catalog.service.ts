import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';

export type PublishedEvent = Event & { ticketTypes: TicketType[] };

/** The attendees' side: published events only. */
@Injectable()
export class EventCatalogService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  async listUpcoming(limit?: number): Promise<PublishedEvent[]> {
    return (await this.events.find({
      where: { status: 'published', startsAt: MoreThan(new Date()) },
      relations: { ticketTypes: true },
      order: { startsAt: 'ASC', id: 'ASC', ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
      take: limit,
    })) as PublishedEvent[];
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
