import { EntityManager } from 'typeorm';
import { Voucher } from './entities/voucher.entity';
import { heldStock, letGo } from './voucher-holds';
import { normalizeVoucherCode, VOUCHER_CODE } from './voucher-code';
import { VoucherRefusedError } from './voucher.errors';
import { voucherUses } from './voucher-pricing';

export interface OrderLineLike {
  ticketTypeId: number;
  quantity: number;
}

/**
 * The voucher an order names, if it can be used at `now` (VoucherRefusedError otherwise: unknown,
 * expired or used up). Whether enough usages are left for the order is decided by redeemVoucher.
 */
export async function usableVoucher(
  manager: EntityManager,
  eventId: number,
  typed: string,
  now: Date,
): Promise<Voucher> {
  const code = normalizeVoucherCode(typed);
  const voucher = VOUCHER_CODE.test(code)
    ? await manager.findOneBy(Voucher, { eventId, code })
    : null;
  if (!voucher) throw VoucherRefusedError.unknown();
  if (voucher.releasedAt || (voucher.validUntil && voucher.validUntil <= now))
    throw VoucherRefusedError.expired();
  if (voucher.redeemed >= voucher.maxUsages) throw VoucherRefusedError.usedUp();
  return voucher;
}

/**
 * Takes `uses` of the voucher, in the booking's transaction: a conditional UPDATE that succeeds
 * only while that many usages are left and the voucher has not lapsed, so concurrent buyers can
 * never use it more than `max_usages` times. A reserving voucher's uses come out of what it
 * holds. False when it no longer fits: the caller rolls back.
 */
export async function redeemVoucher(
  manager: EntityManager,
  voucher: Voucher,
  uses: number,
  now: Date,
): Promise<boolean> {
  if (voucher.singleUse) return redeemOnce(manager, voucher, uses, now);
  const fromHold = voucher.reservesCapacity ? uses : 0;
  const result = await manager
    .createQueryBuilder()
    .update(Voucher)
    .set({ redeemed: () => 'redeemed + :uses', held: () => 'held - :fromHold' })
    .where('id = :id AND redeemed + :uses <= max_usages AND held >= :fromHold')
    .andWhere('released_at IS NULL AND (valid_until IS NULL OR valid_until > :now)')
    .setParameters({ id: voucher.id, uses, fromHold, now })
    .execute();
  return Boolean(result.affected);
}

/**
 * Uses a single-use (holding) voucher for one booking of `uses` tickets: its maximum becomes
 * what this booking takes (so it cannot be used again, while a booking that ends unpaid gives
 * its holder the same tickets back), and what it held beyond that goes back to its ticket type
 * at once, for the next in the queue. Conditional on the voucher being as read and unused.
 */
async function redeemOnce(
  manager: EntityManager,
  voucher: Voucher,
  uses: number,
  now: Date,
): Promise<boolean> {
  if (uses > voucher.maxUsages) return false;
  const result = await manager
    .createQueryBuilder()
    .update(Voucher)
    .set({ redeemed: uses, held: 0, maxUsages: uses })
    .where('id = :id AND redeemed = 0 AND max_usages = :max AND held = :max')
    .andWhere('released_at IS NULL AND (valid_until IS NULL OR valid_until > :now)')
    .setParameters({ id: voucher.id, max: voucher.maxUsages, now })
    .execute();
  if (!result.affected) return false;
  const left = voucher.maxUsages - uses;
  if (left > 0) await letGo(manager, heldStock(voucher), left);
  return true;
}

/**
 * Gives back the uses a booking took of its voucher, when the booking ends unpaid or is
 * cancelled. Call it only in the transaction that moved the booking out of pending or
 * confirmed: that is what makes it happen once. A voucher still holding tickets takes these
 * back into its hold: answers how many tickets of which type go to the hold instead of on sale.
 */
export async function giveBackVoucher(
  manager: EntityManager,
  voucherId: number,
  lines: OrderLineLike[],
): Promise<{ ticketTypeId: number; quantity: number } | undefined> {
  const voucher = await manager.findOneBy(Voucher, { id: voucherId });
  if (!voucher) return undefined;
  const uses = voucherUses(voucher, lines);
  await manager
    .createQueryBuilder()
    .update(Voucher)
    .set({ redeemed: () => 'redeemed - :uses' })
    .where('id = :id')
    .setParameters({ id: voucherId, uses })
    .execute();
  if (!voucher.reservesCapacity || voucher.ticketTypeId === null) return undefined;
  const reheld = await manager
    .createQueryBuilder()
    .update(Voucher)
    .set({ held: () => 'held + :uses' })
    .where('id = :id AND released_at IS NULL')
    .setParameters({ id: voucherId, uses })
    .execute();
  return reheld.affected ? { ticketTypeId: voucher.ticketTypeId, quantity: uses } : undefined;
}
