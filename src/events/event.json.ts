import type { EventDateResponse, EventResponse } from './dto/api/event.response';
import type { TicketType } from './entities/ticket-type.entity';
import type { EventDate } from './entities/event-date.entity';
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
    namePerTicket: event.namePerTicket,
    queueEnabled: event.queueEnabled,
    onSaleAt: event.onSaleAt?.toISOString() ?? null,
    admissionPerMinute: event.admissionPerMinute,
    admissionMinutes: event.admissionMinutes,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
    ticketTypes: event.ticketTypes.map((type) => ({
      id: type.id,
      name: type.name,
      priceCents: type.priceCents,
      capacity: type.capacity,
      sold: type.sold,
      remaining: sum(
        event.dates.filter((date) => date.status === 'scheduled'),
        (date) => publicRemaining(stockOf(date, type.id)),
      ),
      reserved: type.reserved,
      description: type.description,
      saleStartsAt: type.saleStartsAt?.toISOString() ?? null,
      saleEndsAt: type.saleEndsAt?.toISOString() ?? null,
      minPerOrder: type.minPerOrder,
      maxPerOrder: type.maxPerOrder,
      hidden: type.hidden,
    })),
    dates: event.dates.map((date) => dateJson(date, event.ticketTypes)),
  };
}

/** A date as the API shows it: each ticket type's tickets on it, in the event's order of types. */
export function dateJson(date: EventDate, ticketTypes: TicketType[]): EventDateResponse {
  return {
    id: date.id,
    startsAt: date.startsAt.toISOString(),
    endsAt: date.endsAt?.toISOString() ?? null,
    status: date.status,
    ticketTypes: ticketTypes.map((type) => {
      const stock = stockOf(date, type.id);
      return {
        id: type.id,
        capacity: stock.capacity,
        sold: stock.sold,
        remaining: publicRemaining(stock),
      };
    }),
  };
}

const NO_STOCK = { capacity: 0, sold: 0, reserved: 0, waiting: 0 };

/** A ticket type's tickets on a date (its stock loaded: see withDates). */
function stockOf(date: EventDate, ticketTypeId: number) {
  return date.stock?.find((stock) => stock.ticketTypeId === ticketTypeId) ?? NO_STOCK;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
