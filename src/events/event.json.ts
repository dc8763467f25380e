import type { EventResponse } from './dto/api/event.response';
import type { Event } from './entities/event.entity';
import type { TicketType } from './entities/ticket-type.entity';
import { publicRemaining } from './ticket-type-sales';

/** The API's event shape (PRODUCT.md "Event JSON"). */
export function eventJson(event: Event & { ticketTypes: TicketType[] }): EventResponse {
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt?.toISOString() ?? null,
    status: event.status,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    organiserId: event.organiserId,
    maxTicketsPerType: event.maxTicketsPerType,
    holdMinutes: event.holdMinutes,
    waitingListHours: event.waitingListHours,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
    ticketTypes: event.ticketTypes.map((type) => ({
      id: type.id,
      name: type.name,
      priceCents: type.priceCents,
      capacity: type.capacity,
      sold: type.sold,
      remaining: publicRemaining(type),
      reserved: type.reserved,
      description: type.description,
      saleStartsAt: type.saleStartsAt?.toISOString() ?? null,
      saleEndsAt: type.saleEndsAt?.toISOString() ?? null,
      minPerOrder: type.minPerOrder,
      maxPerOrder: type.maxPerOrder,
      hidden: type.hidden,
    })),
  };
}
