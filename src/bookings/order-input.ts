/** A buyer's order for one event, from the buy form or the API. */
export interface OrderInput {
  attendeeName: string;
  attendeeEmail: string;
  /** Only lines with a quantity above zero. */
  lines: OrderLine[];
  /** A resubmission with the same key returns the first booking instead of booking again. */
  idempotencyKey?: string;
}

export interface OrderLine {
  ticketTypeId: number;
  quantity: number;
}
