import { EntityManager } from 'typeorm';
import { TicketType } from '../events/entities/ticket-type.entity';
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
  if (!released.affected || voucher.held === 0 || voucher.ticketTypeId === null) return 0;
  await letGo(manager, voucher.ticketTypeId, voucher.held);
  return voucher.held;
}

/**
 * Takes `count` tickets of a type out of public sale for vouchers (`reserved`), by a
 * conditional UPDATE: false, and nothing taken, when fewer than that are neither sold nor held.
 */
export async function holdBack(
  manager: EntityManager,
  ticketTypeId: number,
  count: number,
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(TicketType)
    .set({ reserved: () => 'reserved + :count' })
    .where('id = :id AND sold + reserved + :count <= capacity')
    .setParameters({ id: ticketTypeId, count })
    .execute();
  return Boolean(result.affected);
}

/** Gives `count` tickets a voucher held back to its type's free tickets (holdBack undone). */
export async function letGo(
  manager: EntityManager,
  ticketTypeId: number,
  count: number,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(TicketType)
    .set({ reserved: () => 'reserved - :count' })
    .where('id = :id')
    .setParameters({ id: ticketTypeId, count })
    .execute();
}

/** A voucher that holds `quantity` tickets of one type for its single holder (a waiting-list offer). */
export async function createHoldingVoucher(
  manager: EntityManager,
  offer: { eventId: number; ticketTypeId: number; quantity: number; validUntil: Date; tag: string },
): Promise<Voucher | undefined> {
  if (!(await holdBack(manager, offer.ticketTypeId, offer.quantity))) return undefined;
  return manager.save(
    manager.create(Voucher, {
      eventId: offer.eventId,
      code: generateVoucherCode(),
      maxUsages: offer.quantity,
      redeemed: 0,
      validUntil: offer.validUntil,
      ticketTypeId: offer.ticketTypeId,
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
