import { EntityManager } from 'typeorm';
import { Booking } from './entities/booking.entity';
import { Refund } from './entities/refund.entity';

export interface RefundToRecord {
  bookingId: number;
  seq: number;
  amountCents: number;
  /** What the payment provider made of it; absent for money returned by hand. */
  provider?: { id: string; status: string | null };
  createdBy: number | null;
}

/** A booking's next refund number (its first is 1). */
export async function nextRefundSeq(manager: EntityManager, bookingId: number): Promise<number> {
  return (await manager.countBy(Refund, { bookingId })) + 1;
}

/**
 * Records a refund and adds it to the booking's `refunded_cents`, never past `limitCents` (what
 * was paid): one conditional UPDATE, so two refunds at once cannot together return more. The same
 * refund recorded again (its number taken, for the same amount) answers with the one recorded.
 * Undefined when the limit, or another refund under its number, refused it.
 */
export async function recordRefund(
  manager: EntityManager,
  refund: RefundToRecord,
  limitCents: number,
): Promise<Refund | undefined> {
  const earlier = await manager.findOneBy(Refund, { bookingId: refund.bookingId, seq: refund.seq });
  // The same refund submitted twice is answered with the first; another one under its number is not made.
  if (earlier) return earlier.amountCents === refund.amountCents ? earlier : undefined;
  const added = await manager
    .createQueryBuilder()
    .update(Booking)
    .set({ refundedCents: () => 'refunded_cents + :amount' })
    .where('id = :id AND refunded_cents + :amount <= :limit')
    .setParameters({ id: refund.bookingId, amount: refund.amountCents, limit: limitCents })
    .execute();
  if (!added.affected) return undefined;
  return manager.save(Refund, {
    bookingId: refund.bookingId,
    seq: refund.seq,
    amountCents: refund.amountCents,
    status: refund.provider?.status === 'pending' ? 'pending' : 'succeeded',
    providerRefundId: refund.provider?.id ?? null,
    createdBy: refund.createdBy,
  });
}
