import { FindOptionsWhere, In, Repository } from 'typeorm';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';

export type EventWithTicketTypes = Event & { ticketTypes: TicketType[] };

/**
 * One page of the events matching `where`, by start time then id, each with its ticket types
 * in their order, and how many match in all. The page's ids are read first: TypeORM's skip/take
 * over the ticket-type join returns short and shifted pages.
 */
export async function pageOfEvents(
  events: Repository<Event>,
  where: FindOptionsWhere<Event>,
  limit: number,
  offset: number,
): Promise<{ events: EventWithTicketTypes[]; total: number }> {
  const order = { startsAt: 'ASC', id: 'ASC' } as const;
  const [page, total] = await events.findAndCount({
    select: { id: true },
    where,
    order,
    take: limit,
    skip: offset,
  });
  if (page.length === 0) return { events: [], total };
  const withTicketTypes = await events.find({
    where: { id: In(page.map((event) => event.id)) },
    relations: { ticketTypes: true },
    order: { ...order, ticketTypes: { sortOrder: 'ASC', id: 'ASC' } },
  });
  return { events: withTicketTypes as EventWithTicketTypes[], total };
}
