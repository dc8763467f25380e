import type { EventResponse } from './dto/api/event.response';
import type { EventWithDates } from './event-pages';
import { publicRemaining } from './ticket-type-sales';

/** The API's event shape (PRODUCT.md "Event JSON"). */
export function eventJson(event: EventWithDates): EventResponse {
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
    dates: event.dates.map((date) => ({
      id: date.id,
      startsAt: date.startsAt.toISOString(),
      endsAt: date.endsAt?.toISOString() ?? null,
      status: date.status,
      // One date so far: its tickets are its event's.
      ticketTypes: event.ticketTypes.map((type) => ({
        id: type.id,
        capacity: type.capacity,
        sold: type.sold,
        remaining: publicRemaining(type),
      })),
    })),
  };
}
