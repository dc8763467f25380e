import { EntityManager } from 'typeorm';
import { TicketType } from '../events/entities/ticket-type.entity';
import { Voucher } from './entities/voucher.entity';

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
  await manager
    .createQueryBuilder()
    .update(TicketType)
    .set({ reserved: () => 'reserved - :held' })
    .where('id = :id')
    .setParameters({ id: voucher.ticketTypeId, held: voucher.held })
    .execute();
  return voucher.held;
}
