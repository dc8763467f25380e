import type { BestAvailableRequest } from '../seating/best-available';

/** A buyer's order for one event, from the buy form or the API. */
export interface OrderInput {
  attendeeName: string;
  attendeeEmail: string;
  /** Only lines with a quantity above zero. */
  lines: OrderLine[];
  /** The event's date to book; none: its only upcoming one. */
  dateId?: number;
  /** A voucher code, as typed. */
  voucherCode?: string;
  /** Seats picked on the map; their ticket types' quantities come from them. */
  seatIds?: number[];
  /** Seats to find instead of picking: N together of a seated ticket type. */
  bestAvailable?: BestAvailableRequest[];
  /** The names on the tickets of seated types sent without a line (their quantity is their seats'). */
  seatedNames?: Record<number, string[]>;
  /** The queue entry whose admission this purchase uses (an event selling through its queue). */
  queueEntryId?: number;
  /** A resubmission with the same key, from the same sender, returns the first booking instead of booking again. */
  idempotency?: IdempotencyKey;
}

export interface OrderLine {
  ticketTypeId: number;
  quantity: number;
  /** The names on this line's tickets, in order: none, or at most one per ticket. */
  attendeeNames?: string[];
}

/**
 * A key the sender chose for one order, and whose it is: a form's key belongs to the browser
 * that posted it, an API key to the token that sent it. The same key from someone else is
 * another key (see idempotency-scope.ts).
 */
export interface IdempotencyKey {
  key: string;
  scope: string;
}
