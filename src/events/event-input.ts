/** An event as the organiser describes it, from the HTML form or the API. */
export interface EventInput {
  title: string;
  description: string;
  venue: string;
  startsAt: Date;
  endsAt: Date | null;
  maxTicketsPerType: number;
  holdMinutes: number;
  waitingListHours: number;
  namePerTicket: boolean;
  /** The fair on-sale queue: on, when it opens, how many it admits a minute, for how long. */
  queueEnabled: boolean;
  onSaleAt: Date | null;
  admissionPerMinute: number;
  admissionMinutes: number;
  ticketTypes: TicketTypeInput[];
}

export interface TicketTypeInput {
  /** Present when editing an existing ticket type. */
  id?: number;
  name: string;
  priceCents: number;
  capacity: number;
  description: string;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
  minPerOrder: number;
  maxPerOrder: number;
  hidden: boolean;
}

/** What a ticket type's selling rules are when nobody says otherwise. */
export const TICKET_TYPE_RULE_DEFAULTS = {
  description: '',
  saleStartsAt: null,
  saleEndsAt: null,
  minPerOrder: 1,
  maxPerOrder: 10,
  hidden: false,
} satisfies Partial<TicketTypeInput>;

/** A ticket type as the API may send it: the selling rules it leaves out keep what they are. */
export type TicketTypeChanges = Pick<TicketTypeInput, 'id' | 'name' | 'priceCents' | 'capacity'> &
  Partial<TicketTypeInput>;

/** The ticket types as sent, each completed from the current one of that id (or the defaults). */
export function completeTicketTypes(
  current: TicketTypeInput[],
  sent: TicketTypeChanges[],
): TicketTypeInput[] {
  const byId = new Map(current.map((type) => [type.id, type]));
  return sent.map((row) => ({
    ...TICKET_TYPE_RULE_DEFAULTS,
    ...(row.id === undefined ? undefined : byId.get(row.id)),
    ...Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)),
  })) as TicketTypeInput[];
}
