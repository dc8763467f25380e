import type { VoucherResponse } from './dto/api/voucher.dto';
import type { Voucher } from './entities/voucher.entity';

/** The API's voucher shape (PRODUCT.md "Selling tools"). */
export function voucherJson(voucher: Voucher): VoucherResponse {
  return {
    id: voucher.id,
    eventId: voucher.eventId,
    code: voucher.code,
    maxUsages: voucher.maxUsages,
    redeemed: voucher.redeemed,
    validUntil: voucher.validUntil?.toISOString() ?? null,
    ticketTypeId: voucher.ticketTypeId,
    dateId: voucher.dateId,
    priceMode: voucher.priceMode,
    value: voucher.value,
    unlocksHidden: voucher.unlocksHidden,
    reservesCapacity: voucher.reservesCapacity,
    tag: voucher.tag,
    createdAt: voucher.createdAt.toISOString(),
  };
}
