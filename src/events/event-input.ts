/** An event as the organiser describes it, from the HTML form or the API. */
export interface EventInput {
  title: string;
  description: string;
  venue: string;
  startsAt: Date;
  maxTicketsPerType: number;
  holdMinutes: number;
  ticketTypes: TicketTypeInput[];
}

export interface TicketTypeInput {
  /** Present when editing an existing ticket type. */
  id?: number;
  name: string;
  priceCents: number;
  capacity: number;
}
