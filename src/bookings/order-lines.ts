import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { formatDateTime } from '../common/views/view-helpers';
import type { Event } from '../events/entities/event.entity';
import type { TicketType } from '../events/entities/ticket-type.entity';
import { perOrderLimits, saleState } from '../events/ticket-type-sales';
import { InvalidOrderLineError, OffSaleError, TicketNamesError } from './booking.errors';
import type { Voucher } from '../vouchers/entities/voucher.entity';
import { VoucherRefusedError } from '../vouchers/voucher.errors';
import { appliesTo, discountedPrice, voucherUses } from '../vouchers/voucher-pricing';
import type { OrderLine } from './order-input';

/**
 * Checks every line of an order against its event's ticket types (part of this event, listed
 * once, on sale at `now`, within the type's per-order limits, a name per ticket when the event
 * asks for one; hidden ones only with a voucher that unlocks them) and answers each line's unit price, with the voucher's discount, and how
 * many tickets use the voucher.
 */
export function priceOrderLines(
  event: Event & { ticketTypes?: TicketType[] },
  lines: OrderLine[],
  now: number,
  voucher?: Voucher,
): { prices: Map<number, number>; voucherUses: number } {
  const types = new Map((event.ticketTypes ?? []).map((type) => [type.id, type]));
  if (lines.length === 0)
    throw new InvalidFieldError('quantities', 'Choose at least one ticket.', 422, 'items');
  const prices = new Map<number, number>();
  for (const [index, line] of lines.entries()) {
    const type = types.get(line.ticketTypeId);
    if (!type || (type.hidden && !unlocks(voucher, type))) {
      throw new InvalidOrderLineError(
        index,
        'ticketTypeId',
        'One of the ticket types is not part of this event.',
      );
    }
    if (prices.has(line.ticketTypeId)) {
      throw new InvalidOrderLineError(
        index,
        'ticketTypeId',
        'Each ticket type may appear only once.',
      );
    }
    assertOnSale(type, event, index, now);
    const { min, max } = perOrderLimits(type, event);
    if (!Number.isInteger(line.quantity) || line.quantity < min || line.quantity > max) {
      throw new InvalidOrderLineError(
        index,
        'quantity',
        min === max
          ? `“${type.name}” is sold ${min} at a time.`
          : `You can book ${min} to ${max} tickets of “${type.name}” in one order.`,
      );
    }
    assertTicketNames(event, type, line, index);
    const discounted = voucher && appliesTo(voucher, type.id);
    prices.set(
      line.ticketTypeId,
      discounted ? discountedPrice(voucher, type.priceCents) : type.priceCents,
    );
  }
  const uses = voucher ? voucherUses(voucher, lines) : 0;
  if (voucher && uses === 0) throw VoucherRefusedError.notForTheseTickets();
  return { prices, voucherUses: uses };
}

/** At most one name per ticket; exactly one when the event asks for a name on each ticket. */
function assertTicketNames(event: Event, type: TicketType, line: OrderLine, index: number): void {
  const named = line.attendeeNames?.length ?? 0;
  if (named > line.quantity) {
    throw new TicketNamesError(
      index,
      type.id,
      `${named} names for ${line.quantity} “${type.name}” ${plural(line.quantity, 'ticket')}: give one name per ticket.`,
    );
  }
  if (event.namePerTicket && named < line.quantity) {
    throw new TicketNamesError(
      index,
      type.id,
      line.quantity === 1
        ? `Enter the name on the “${type.name}” ticket.`
        : `Enter a name for each of the ${line.quantity} “${type.name}” tickets (${named} given).`,
    );
  }
}

const plural = (count: number, noun: string) => (count === 1 ? noun : `${noun}s`);

const unlocks = (voucher: Voucher | undefined, type: TicketType) =>
  Boolean(voucher?.unlocksHidden && appliesTo(voucher, type.id));

function assertOnSale(type: TicketType, event: Event, index: number, now: number): void {
  const state = saleState(type, event, now);
  if (state === 'upcoming')
    throw new OffSaleError(
      index,
      `“${type.name}” is on sale from ${formatDateTime(type.saleStartsAt!)}.`,
    );
  if (state === 'ended') throw new OffSaleError(index, `The sale of “${type.name}” has ended.`);
}
