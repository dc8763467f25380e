import type { FieldErrors, FormValues } from '../common/forms/form.pipe';
import { formatCents } from '../common/money';
import { toDateTimeLocal } from '../common/views/view-helpers';
import { postedTicketTypeRows } from './dto/event.form';
import type { Event } from './entities/event.entity';
import type { TicketType } from './entities/ticket-type.entity';

/** An event as attendees see it: what is on, what it costs, how many tickets are left. */
export function eventForAttendees(event: Event & { ticketTypes: TicketType[] }, now = Date.now()) {
  const ticketTypes = event.ticketTypes.map((type) => ({
    id: type.id,
    name: type.name,
    priceCents: type.priceCents,
    remaining: type.capacity - type.sold,
    soldOut: type.sold >= type.capacity,
  }));
  const remaining = ticketTypes.reduce((sum, type) => sum + type.remaining, 0);
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: event.startsAt,
    maxTicketsPerType: event.maxTicketsPerType,
    ticketTypes,
    remaining,
    soldOut: remaining === 0,
    onSale: event.startsAt.getTime() > now && remaining > 0,
    started: event.startsAt.getTime() <= now,
    fromPriceCents: ticketTypes.length
      ? Math.min(...ticketTypes.map((type) => type.priceCents))
      : 0,
  };
}

/** The values an edit form starts with. */
export function eventFormValues(event: Event & { ticketTypes: TicketType[] }): FormValues {
  return {
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: toDateTimeLocal(event.startsAt),
    maxTicketsPerType: String(event.maxTicketsPerType),
    holdMinutes: String(event.holdMinutes),
    ticketTypes: Object.fromEntries(
      event.ticketTypes.map((type, index) => [
        String(index),
        {
          id: String(type.id),
          name: type.name,
          price: formatCents(type.priceCents),
          capacity: String(type.capacity),
        },
      ]),
    ),
  };
}

export const NEW_EVENT_VALUES: FormValues = {
  maxTicketsPerType: '10',
  holdMinutes: '15',
  ticketTypes: { 0: { name: 'Full price' }, 1: { name: 'Concession' } },
};

interface TicketTypeRow {
  index: number;
  values: Record<string, unknown>;
  sold: number | undefined;
  errors: Record<'name' | 'price' | 'capacity', string | undefined>;
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
    errors: {
      name: errors[`ticketTypes.${index}.name`] ?? errors[`ticketTypes.${index}.id`],
      price: errors[`ticketTypes.${index}.price`],
      capacity: errors[`ticketTypes.${index}.capacity`],
    },
  }));
  rows.push({
    index: rows.length,
    values: {},
    sold: undefined,
    errors: { name: undefined, price: undefined, capacity: undefined },
  });
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
