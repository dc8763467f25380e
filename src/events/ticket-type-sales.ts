import type { Event } from './entities/event.entity';
import type { TicketType } from './entities/ticket-type.entity';

export type SaleState = 'upcoming' | 'open' | 'ended';

type SaleWindow = Pick<TicketType, 'saleStartsAt' | 'saleEndsAt'>;

/** Whether a ticket type is on sale at `now`: its own window, and never once the event has started. */
export function saleState(
  type: SaleWindow,
  event: Pick<Event, 'startsAt'>,
  now: number,
): SaleState {
  if (type.saleStartsAt && type.saleStartsAt.getTime() > now) return 'upcoming';
  if (type.saleEndsAt && type.saleEndsAt.getTime() <= now) return 'ended';
  if (event.startsAt.getTime() <= now) return 'ended';
  return 'open';
}

/** How many tickets of this type one order may take: its own limits within the event's. */
export function perOrderLimits(
  type: Pick<TicketType, 'minPerOrder' | 'maxPerOrder'>,
  event: Pick<Event, 'maxTicketsPerType'>,
): { min: number; max: number } {
  const max = Math.min(type.maxPerOrder, event.maxTicketsPerType);
  return { min: Math.min(type.minPerOrder, max), max };
}

/**
 * Tickets of this type the public can still buy: neither sold nor held back for vouchers, and
 * none while people are on its waiting list (what comes free is offered to them first).
 */
export function publicRemaining(
  type: Pick<TicketType, 'capacity' | 'sold' | 'reserved' | 'waiting'>,
): number {
  return type.waiting > 0 ? 0 : Math.max(0, type.capacity - type.sold - type.reserved);
}
