import type { OrderLineLike } from './voucher-usage';
import type { BuyerOffer } from '../events/event.view';
import type { Voucher } from './entities/voucher.entity';

type PricedVoucher = Pick<Voucher, 'priceMode' | 'value'>;

/** A ticket's price with the voucher, never below zero. */
export function discountedPrice(voucher: PricedVoucher, priceCents: number): number {
  switch (voucher.priceMode) {
    case 'set':
      return Math.max(0, voucher.value);
    case 'subtract':
      return Math.max(0, priceCents - voucher.value);
    case 'percent':
      return Math.max(0, priceCents - Math.round((priceCents * voucher.value) / 100));
    default:
      return priceCents;
  }
}

/** Whether the voucher may be used for tickets of this type. */
export const appliesTo = (voucher: Pick<Voucher, 'ticketTypeId'>, ticketTypeId: number) =>
  voucher.ticketTypeId === null || voucher.ticketTypeId === ticketTypeId;

/** How many of an order's tickets use the voucher: every ticket of the types it applies to. */
export function voucherUses(
  voucher: Pick<Voucher, 'ticketTypeId'>,
  lines: OrderLineLike[],
): number {
  return lines
    .filter((line) => appliesTo(voucher, line.ticketTypeId))
    .reduce((sum, line) => sum + line.quantity, 0);
}

/** What the voucher changes about the event as its holder sees it on the buy form. */
export function voucherOffer(voucher: Voucher): BuyerOffer {
  return {
    unlocks: (type) => voucher.unlocksHidden && appliesTo(voucher, type.id),
    priceCents: (type) =>
      appliesTo(voucher, type.id) ? discountedPrice(voucher, type.priceCents) : type.priceCents,
    heldFor: (type) =>
      voucher.reservesCapacity && voucher.ticketTypeId === type.id ? voucher.held : 0,
    dateId: voucher.dateId ?? undefined,
  };
}
