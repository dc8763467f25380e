import type { FieldErrors, FormValues } from '../common/forms/form.pipe';
import { formatCents } from '../common/money';
import { toDateTimeLocal } from '../common/views/view-helpers';
import { postedTicketTypeRows } from './dto/event.form';
import type { Event } from './entities/event.entity';
import type { TicketType } from './entities/ticket-type.entity';
import { perOrderLimits, publicRemaining, saleState } from './ticket-type-sales';

/** What a buyer's code changes about the event as they see it (made by src/vouchers). */
export interface BuyerOffer {
  unlocks(type: TicketType): boolean;
  priceCents(type: TicketType): number;
  /** Tickets held back for this code, on top of what the public may buy. */
  heldFor(type: TicketType): number;
  /** The date the code is for, if only one. */
  dateId?: number;
}

/**
 * An event as attendees see it: what is on, what it costs, what is on sale and how many are
 * left; with a code (`offer`), as its holder sees it.
 */
export function eventForAttendees(
  event: Event & { ticketTypes: TicketType[] },
  now = Date.now(),
  offer?: BuyerOffer,
) {
  const ticketTypes = event.ticketTypes
    .filter((type) => !type.hidden || offer?.unlocks(type))
    .map((type) => {
      const remaining = publicRemaining(type) + (offer?.heldFor(type) ?? 0);
      const sale = saleState(type, event, now);
      const priceCents = offer ? offer.priceCents(type) : type.priceCents;
      return {
        id: type.id,
        name: type.name,
        description: type.description,
        priceCents,
        /** The price without the code, when the code changes it. */
        fullPriceCents: priceCents === type.priceCents ? undefined : type.priceCents,
        remaining,
        soldOut: remaining <= 0,
        ...perOrderLimits(type, event),
        saleStartsAt: type.saleStartsAt,
        upcoming: sale === 'upcoming',
        ended: sale === 'ended',
        buyable: sale === 'open' && remaining > 0,
        /** Sold by seat: picked on the seat map, not by quantity. */
        seated: type.seated,
        /** Sold out to the public while on sale: its waiting list is open. */
        waitable: sale === 'open' && remaining <= 0,
      };
    });
  const remaining = ticketTypes.reduce((sum, type) => sum + Math.max(0, type.remaining), 0);
  const buyable = ticketTypes.some((type) => type.buyable);
  const started = event.startsAt.getTime() <= now;
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    maxTicketsPerType: event.maxTicketsPerType,
    ticketTypes,
    remaining,
    soldOut: remaining === 0,
    onSale: !started && buyable,
    /** Selling through the fair queue: the page links to it, saying when it opens. */
    queue: event.queueEnabled && !started ? { opensAt: event.onSaleAt } : undefined,
    /** Not on sale yet, but some type will be: the earliest moment one opens. */
    opensAt: started || buyable ? undefined : firstOpening(ticketTypes),
    started,
    fromPriceCents: ticketTypes.length
      ? Math.min(...ticketTypes.map((type) => type.priceCents))
      : 0,
  };
}

function firstOpening(types: { upcoming: boolean; soldOut: boolean; saleStartsAt: Date | null }[]) {
  const openings = types
    .filter((type) => type.upcoming && !type.soldOut)
    .map((type) => type.saleStartsAt!.getTime());
  return openings.length ? new Date(Math.min(...openings)) : undefined;
}

/** The values an edit form starts with. */
export function eventFormValues(event: Event & { ticketTypes: TicketType[] }): FormValues {
  return {
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: toDateTimeLocal(event.startsAt),
    endsAt: event.endsAt ? toDateTimeLocal(event.endsAt) : '',
    maxTicketsPerType: String(event.maxTicketsPerType),
    holdMinutes: String(event.holdMinutes),
    waitingListHours: String(event.waitingListHours),
    ...(event.namePerTicket ? { namePerTicket: 'on' } : {}),
    ...(event.queueEnabled ? { queueEnabled: 'on' } : {}),
    onSaleAt: event.onSaleAt ? toDateTimeLocal(event.onSaleAt) : '',
    admissionPerMinute: String(event.admissionPerMinute),
    admissionMinutes: String(event.admissionMinutes),
    ticketTypes: Object.fromEntries(
      event.ticketTypes.map((type, index) => [
        String(index),
        {
          id: String(type.id),
          name: type.name,
          price: formatCents(type.priceCents),
          capacity: String(type.capacity),
          description: type.description,
          saleStartsAt: type.saleStartsAt ? toDateTimeLocal(type.saleStartsAt) : '',
          saleEndsAt: type.saleEndsAt ? toDateTimeLocal(type.saleEndsAt) : '',
          minPerOrder: String(type.minPerOrder),
          maxPerOrder: String(type.maxPerOrder),
          ...(type.hidden ? { hidden: 'on' } : {}),
        },
      ]),
    ),
  };
}

export const NEW_EVENT_VALUES: FormValues = {
  maxTicketsPerType: '10',
  holdMinutes: '15',
  waitingListHours: '24',
  admissionPerMinute: '300',
  admissionMinutes: '10',
  ticketTypes: { 0: { name: 'Full price' }, 1: { name: 'Concession' } },
};

/** A ticket type's selling rules: folded away in the form unless set or refused. */
const RULE_FIELDS = [
  'description',
  'saleStartsAt',
  'saleEndsAt',
  'minPerOrder',
  'maxPerOrder',
] as const;
const TICKET_TYPE_FIELDS = ['name', 'price', 'capacity', ...RULE_FIELDS] as const;

interface TicketTypeRow {
  index: number;
  values: Record<string, unknown>;
  sold: number | undefined;
  errors: Partial<Record<(typeof TICKET_TYPE_FIELDS)[number], string>>;
  /** Its selling rules differ from the defaults or are refused: show them unfolded. */
  rulesOpen: boolean;
}

/**
 * The create/edit form's view model: the values as typed, a message at each bad
 * field, each ticket-type row with its own values and errors, and one spare row.
 */
export function eventFormView(
  values: FormValues,
  errors: FieldErrors,
  event?: Event & { ticketTypes: TicketType[] },
) {
  const sold = new Map(event?.ticketTypes.map((type) => [String(type.id), type.sold]));
  const rows = postedTicketTypeRows(values.ticketTypes).map((row, index): TicketTypeRow => ({
    index,
    values: row,
    sold: sold.get(String(row.id)),
    errors: rowErrors(errors, index),
    rulesOpen: hasRules(row) || RULE_FIELDS.some((field) => rowErrors(errors, index)[field]),
  }));
  rows.push({ index: rows.length, values: {}, sold: undefined, errors: {}, rulesOpen: false });
  return {
    title: event ? `Edit ${event.title}` : 'Create an event',
    action: event ? `/edit-event/${event.id}` : '/create-event',
    event,
    values,
    errors,
    ticketTypeRows: rows,
    hasErrors: Object.keys(errors).length > 0,
  };
}

function rowErrors(errors: FieldErrors, index: number): TicketTypeRow['errors'] {
  const row: TicketTypeRow['errors'] = Object.fromEntries(
    TICKET_TYPE_FIELDS.map((field) => [field, errors[`ticketTypes.${index}.${field}`]]),
  );
  row.name ??= errors[`ticketTypes.${index}.id`];
  return row;
}

function hasRules(row: Record<string, unknown>): boolean {
  const set = (field: string) => typeof row[field] === 'string' && row[field] !== '';
  return (
    set('description') ||
    set('saleStartsAt') ||
    set('saleEndsAt') ||
    row.hidden !== undefined ||
    (set('minPerOrder') && row.minPerOrder !== '1') ||
    (set('maxPerOrder') && row.maxPerOrder !== '10')
  );
}
