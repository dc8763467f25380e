import { EntityManager } from 'typeorm';
import { moveStock, StockKey } from '../events/date-stock';
import { Voucher } from './entities/voucher.entity';
import { generateVoucherCode } from './voucher-code';

/**
 * Ends a voucher's hold on tickets for good (it lapsed or is being deleted): what it held goes
 * back to its ticket type's free tickets. Conditional on the voucher being as read (`held`
 * unchanged, not yet released), so it happens once; answers how many tickets it freed.
 */
export async function releaseHold(
  manager: EntityManager,
  voucher: Voucher,
  now = new Date(),
): Promise<number> {
  const released = await manager
    .createQueryBuilder()
    .update(Voucher)
    .set({ held: 0, releasedAt: now })
    .where('id = :id AND held = :held AND released_at IS NULL')
    .setParameters({ id: voucher.id, held: voucher.held })
    .execute();
  if (!released.affected || voucher.held === 0) return 0;
  await letGo(manager, heldStock(voucher), voucher.held);
  return voucher.held;
}

/** Where a reserving voucher holds its tickets: its ticket type on its date. */
export function heldStock(voucher: Voucher): StockKey {
  if (voucher.ticketTypeId === null || voucher.dateId === null)
    throw new Error(`voucher ${voucher.id} holds tickets of no one type and date`);
  return { dateId: voucher.dateId, ticketTypeId: voucher.ticketTypeId };
}

/**
 * Takes `count` tickets of a type on a date out of public sale for vouchers (`reserved`), by a
 * conditional UPDATE: false, and nothing taken, when fewer than that are neither sold nor held.
 */
export function holdBack(manager: EntityManager, stock: StockKey, count: number): Promise<boolean> {
  return moveStock(manager, stock, { reserved: count }, 'sold + reserved + :count <= capacity', {
    count,
  });
}

/** Gives `count` tickets a voucher held back to its type's free tickets on that date (holdBack undone). */
export async function letGo(manager: EntityManager, stock: StockKey, count: number): Promise<void> {
  await moveStock(manager, stock, { reserved: -count });
}

/** A voucher that holds `quantity` tickets of one type on one date for its single holder (a waiting-list offer). */
export async function createHoldingVoucher(
  manager: EntityManager,
  offer: StockKey & { eventId: number; quantity: number; validUntil: Date; tag: string },
): Promise<Voucher | undefined> {
  if (!(await holdBack(manager, offer, offer.quantity))) return undefined;
  return manager.save(
    manager.create(Voucher, {
      eventId: offer.eventId,
      code: generateVoucherCode(),
      maxUsages: offer.quantity,
      redeemed: 0,
      validUntil: offer.validUntil,
      ticketTypeId: offer.ticketTypeId,
      dateId: offer.dateId,
      priceMode: 'none',
      value: 0,
      unlocksHidden: false,
      reservesCapacity: true,
      held: offer.quantity,
      releasedAt: null,
      tag: offer.tag,
      singleUse: true,
    }),
  );
}
