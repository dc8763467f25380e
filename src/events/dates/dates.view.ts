import type { DateInventory } from '../entities/date-inventory.entity';
import type { EventDate } from '../entities/event-date.entity';
import type { TicketType } from '../entities/ticket-type.entity';
import { BuyerOffer, eventForAttendees } from '../event.view';
import type { EventWithDates } from '../event-pages';
import { publicRemaining } from '../ticket-type-sales';

/**
 * The event as it is on one of its dates: that date's start and end, and each ticket type with
 * that date's tickets (what eventForAttendees and the booking path read).
 */
export function onDate<E extends EventWithDates>(event: E, date: EventDate): E {
  return {
    ...event,
    startsAt: date.startsAt,
    endsAt: date.endsAt,
    ticketTypes: event.ticketTypes.map((type) => ({ ...type, ...counts(date, type) })),
  };
}

function counts(date: EventDate, type: TicketType) {
  const stock: Partial<DateInventory> =
    date.stock?.find((row) => row.ticketTypeId === type.id) ?? {};
  return {
    capacity: stock.capacity ?? type.capacity,
    sold: stock.sold ?? 0,
    reserved: stock.reserved ?? 0,
    waiting: stock.waiting ?? 0,
  };
}

/** The date a visitor asked for (`?date=`), if it is one of the event's; else its next scheduled one, else its last. */
export function chosenDate(event: EventWithDates, requested: unknown, now = Date.now()): EventDate {
  const asked = typeof requested === 'string' ? Number(requested) : NaN;
  const named = event.dates.find((date) => date.id === asked);
  if (named) return named;
  const next = event.dates.find(
    (date) => date.status === 'scheduled' && date.startsAt.getTime() > now,
  );
  return next ?? event.dates[event.dates.length - 1];
}

/** The event as attendees see it on the chosen date, with every date to choose from (each with tickets left). */
export function eventOnDateForAttendees(
  event: EventWithDates,
  requested: unknown,
  now = Date.now(),
  offer?: BuyerOffer,
) {
  const chosen = chosenDate(event, requested, now);
  const dates = event.dates.map((date) => {
    const left = onDate(event, date)
      .ticketTypes.filter((type) => !type.hidden)
      .reduce((sum, type) => sum + publicRemaining(type), 0);
    const cancelled = date.status === 'cancelled';
    const past = date.startsAt.getTime() <= now;
    return {
      id: date.id,
      startsAt: date.startsAt,
      endsAt: date.endsAt,
      cancelled,
      past,
      left,
      soldOut: left === 0,
      bookable: !cancelled && !past && left > 0,
      chosen: date.id === chosen.id,
    };
  });
  const view = eventForAttendees(onDate(event, chosen), now, offer);
  return {
    ...view,
    onSale: view.onSale && chosen.status === 'scheduled',
    dateCancelled: chosen.status === 'cancelled',
    dateId: chosen.id,
    dates,
    manyDates: dates.length > 1,
  };
}

/** An event in a list: as on its next date, and how many more upcoming dates it has. */
export function eventCardForAttendees(event: EventWithDates, now = Date.now()) {
  const upcoming = event.dates.filter(
    (date) => date.status === 'scheduled' && date.startsAt.getTime() > now,
  );
  return {
    ...eventOnDateForAttendees(event, undefined, now),
    moreDates: Math.max(0, upcoming.length - 1),
  };
}
