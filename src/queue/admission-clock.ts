import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { DateInventory } from '../events/entities/date-inventory.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { TransactionRunner } from '../database/transaction-runner';
import type { Event } from '../events/entities/event.entity';
import { QueueClock } from './entities/queue-clock.entity';
import { QueueEntry } from './entities/queue-entry.entity';

/** Steps come at least this far apart; the rate is spread over them (at least every 2 s). */
export const STEP_MS = 1_000;
/** Owed admissions pile up to one step's worth of 2 s at most: no burst after a quiet spell. */
const MOST_CREDIT_MS = 2_000;
/** Entries drawn into places per statement at the opening. */
const DRAW_BATCH = 500;

export type QueuedEvent = Pick<
  Event,
  'id' | 'onSaleAt' | 'admissionPerMinute' | 'admissionMinutes' | 'queuePaused'
>;

/**
 * An event's admission clock (PRODUCT.md "Fair on-sale queue"): from `onSaleAt` it admits
 * `admissionPerMinute` a minute in order of place, whichever process steps it. A step is one
 * transaction: the clock row's conditional UPDATE (on the `stepped_at` it read) decides which
 * process's step counts; the others change nothing. So the rate is the site's, every entry is
 * admitted once, and no minute admits more than the rate plus one step.
 */
@Injectable()
export class AdmissionClock {
  constructor(private readonly transactions: TransactionRunner) {}

  /** The clock of the event, made when first needed (in the caller's transaction). */
  async clockOf(manager: EntityManager, eventId: number): Promise<QueueClock> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(QueueClock)
      .values({ eventId })
      .orIgnore()
      .execute();
    return manager.findOneByOrFail(QueueClock, { eventId });
  }

  /**
   * At the opening, those who joined before get their places, in the order of their random
   * draws, once (the clock's `drawn_at` moves from null exactly once); no-op before and after.
   */
  async drawIfOpen(manager: EntityManager, event: QueuedEvent, now: Date): Promise<void> {
    if (!event.onSaleAt || now < event.onSaleAt) return;
    await this.clockOf(manager, event.id);
    const { affected } = await manager.update(
      QueueClock,
      { eventId: event.id, drawnAt: IsNull() },
      { drawnAt: now },
    );
    if (!affected) return;
    const drawn = await manager.find(QueueEntry, {
      select: { id: true },
      where: { eventId: event.id, position: IsNull() },
      order: { draw: 'ASC', id: 'ASC' },
    });
    const clock = await manager.findOneByOrFail(QueueClock, { eventId: event.id });
    for (let start = 0; start < drawn.length; start += DRAW_BATCH) {
      const batch = drawn.slice(start, start + DRAW_BATCH);
      const cases = batch
        .map((entry, index) => `WHEN ${entry.id} THEN ${clock.nextPosition + start + index + 1}`)
        .join(' ');
      await manager
        .createQueryBuilder()
        .update(QueueEntry)
        .set({ position: () => `CASE id ${cases} END` })
        .whereInIds(batch.map(({ id }) => id))
        .execute();
    }
    await manager.update(
      QueueClock,
      { eventId: event.id },
      { nextPosition: clock.nextPosition + drawn.length },
    );
  }

  /** The next place at the back of the line (the clock row is this transaction's until it ends). */
  async nextPlace(manager: EntityManager, eventId: number): Promise<number> {
    await this.clockOf(manager, eventId);
    await manager.increment(QueueClock, { eventId }, 'nextPosition', 1);
    return (await manager.findOneByOrFail(QueueClock, { eventId })).nextPosition;
  }

  /**
   * One step of the clock: lapses admissions past their time, marks the line sold out when
   * nothing can be bought any more, and admits what the rate owes since the last step. Answers
   * how many it admitted (0 too when another process stepped first).
   */
  async step(event: QueuedEvent, now = new Date()): Promise<number> {
    if (!event.onSaleAt || now < event.onSaleAt) return 0;
    return this.transactions.run(async (manager) => {
      await this.drawIfOpen(manager, event, now);
      const clock = await this.clockOf(manager, event.id);
      if (clock.steppedAt && now.getTime() - clock.steppedAt.getTime() < STEP_MS) return 0;
      const soldOutNow = await soldOut(manager, event.id);
      const since = clock.steppedAt ?? event.onSaleAt!;
      const perMs = event.admissionPerMinute / 60_000;
      const owed = Math.min(
        clock.creditMilli + Math.floor((now.getTime() - since.getTime()) * perMs * 1000),
        Math.max(1000, Math.floor(MOST_CREDIT_MS * perMs * 1000)),
      );
      const places =
        event.queuePaused || soldOutNow
          ? []
          : await manager.find(QueueEntry, {
              select: { position: true },
              where: { eventId: event.id, status: 'waiting' },
              order: { position: 'ASC' },
              take: Math.floor(owed / 1000),
            });
      const admitted = places.filter(({ position }) => position !== null).length;
      const through = admitted ? places[admitted - 1].position! : clock.admittedThrough;
      // The step is this process's only if the clock still reads as it did: else another did it.
      const claimed = await manager
        .createQueryBuilder()
        .update(QueueClock)
        .set({ steppedAt: now, creditMilli: owed - admitted * 1000, admittedThrough: through })
        .where('event_id = :eventId', { eventId: event.id })
        .andWhere(clock.steppedAt ? 'stepped_at = :previous' : 'stepped_at IS NULL', {
          previous: clock.steppedAt,
        })
        .execute();
      if (!claimed.affected) return 0;
      await manager
        .createQueryBuilder()
        .update(QueueEntry)
        .set({ status: 'lapsed' })
        .where("event_id = :eventId AND status = 'admitted' AND expires_at <= :now", {
          eventId: event.id,
          now,
        })
        .execute();
      if (soldOutNow)
        await manager.update(
          QueueEntry,
          { eventId: event.id, status: 'waiting' },
          { status: 'sold_out' },
        );
      if (admitted === 0) return 0;
      const result = await manager
        .createQueryBuilder()
        .update(QueueEntry)
        .set({
          status: 'admitted',
          admittedAt: now,
          expiresAt: new Date(now.getTime() + event.admissionMinutes * 60_000),
        })
        .where("event_id = :eventId AND status = 'waiting' AND position <= :through", {
          eventId: event.id,
          through,
        })
        .execute();
      return result.affected ?? 0;
    });
  }
}

/** Nothing left to sell on any date, and nothing held that could come back. */
async function soldOut(manager: EntityManager, eventId: number): Promise<boolean> {
  const stock = await manager
    .createQueryBuilder(DateInventory, 'stock')
    .innerJoin(EventDate, 'date', 'date.id = stock.date_id')
    .select('SUM(stock.capacity - stock.sold - stock.reserved)', 'available')
    .where("date.event_id = :eventId AND date.status = 'scheduled'", { eventId })
    .getRawOne<{ available: number | string | null }>();
  if (Number(stock?.available ?? 0) > 0) return false;
  // Bookings are the bookings module's; the queue only asks whether any are held.
  const held = await manager
    .createQueryBuilder()
    .select('COUNT(*)', 'held')
    .from('bookings', 'booking')
    .where("booking.event_id = :eventId AND booking.status = 'pending'", { eventId })
    .getRawOne<{ held: number | string }>();
  return Number(held?.held ?? 0) === 0;
}
