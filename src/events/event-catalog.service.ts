import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository } from 'typeorm';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';

export type PublishedEvent = Event & { ticketTypes: TicketType[] };

/** The attendees' side: published events only. */
@Injectable()
export class EventCatalogService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  /** Published events yet to start, soonest first: `limit` of them from `offset`, and how many in all. */
  async listUpcoming(
    limit: number,
    offset = 0,
  ): Promise<{ events: PublishedEvent[]; total: number }> {
    const order = { startsAt: 'ASC', id: 'ASC' } as const;
    // The page's ids first: TypeORM's skip/take over a join (the ticket types) pages wrongly.
    const [page, total] = await this.events.findAndCount({
      select: { id: true },
      where: { status: 'published', startsAt: MoreThan(new Date()) },
      order,
      take: limit,
      skip: offset,
    });
    if (page.length === 0) return { events: [], total };
    const events = await this.events.find({
      where: { id: In(page.map((event) => event.id)) },
      relations: { ticketTypes: true },
      order: { ...order, ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
    });
    return { events: events as PublishedEvent[], total };
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
