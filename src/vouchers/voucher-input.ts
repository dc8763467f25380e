import type { PriceMode } from './entities/voucher.entity';

/** Vouchers as the organiser describes them, from the HTML form or the API. */
export interface VoucherInput {
  /** A typed code (then `count` is 1); none: `count` random codes. */
  code?: string;
  count: number;
  maxUsages: number;
  validUntil: Date | null;
  ticketTypeId: number | null;
  /** The date it holds tickets on and may be used for; null: any date (a reserving voucher: the event's only one). */
  dateId: number | null;
  priceMode: PriceMode;
  /** Cents for `set` and `subtract`, a percentage for `percent`. */
  value: number;
  unlocksHidden: boolean;
  reservesCapacity: boolean;
  tag: string;
}
