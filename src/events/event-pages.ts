import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { groupBy } from '../common/group-by';
import { DateInventory } from './entities/date-inventory.entity';
import { EventDate } from './entities/event-date.entity';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';

export type EventWithTicketTypes = Event & { ticketTypes: TicketType[] };
export type DateWithStock = EventDate & { stock: DateInventory[] };
export type EventWithDates = EventWithTicketTypes & { dates: DateWithStock[] };

/**
 * Gives each event its dates, in order, each with its tickets per type: two plain queries (a join
 * would multiply rows, and TypeORM's hydration of joined relations costs more than the reads).
 */
export async function withDates<T extends Event>(
  manager: EntityManager,
  events: T[],
): Promise<(T & { dates: DateWithStock[] })[]> {
  if (events.length === 0) return [];
  const dates = await manager.find(EventDate, {
    where: { eventId: In(events.map((event) => event.id)) },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  const stock = dates.length
    ? await manager.find(DateInventory, { where: { dateId: In(dates.map((date) => date.id)) } })
    : [];
  const stockOf = groupBy(stock, (row) => row.dateId);
  const datesOf = groupBy(
    dates.map((date) => Object.assign(date, { stock: stockOf.get(date.id) ?? [] })),
    (date) => date.eventId,
  );
  return events.map((event) => Object.assign(event, { dates: datesOf.get(event.id) ?? [] }));
}

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
