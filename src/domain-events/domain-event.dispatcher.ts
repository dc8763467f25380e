import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { BackgroundPass } from '../common/background-pass';
import { givesUp, oneLine, retryDelayMs } from '../common/retry-policy';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from './domain-events.service';
import { RecordedEvent } from './entities/recorded-event.entity';

/** Events handed over in one transaction: a rush's bookings are taken together. */
const BATCH_SIZE = 100;
/** How often to look for events recorded by other processes, or left by one that stopped. */
const POLL_MS = 2000;
/** A wake-up waits this long, so that one pass takes the events of many commits at once. */
const WAKE_DELAY_MS = 20;
/** An event whose subscriber failed is tried again after this long, then as the retry policy says. */
const RETRY_BASE_MS = 5000;
/** Due: not yet handed over, not given up, and not waiting for a retry. */
const due = () => ({ nextAttemptAt: LessThanOrEqual(new Date()), gaveUpAt: IsNull() });

/**
 * Hands recorded domain events to their durable subscribers: right after the commit that
 * recorded them (in this process), every two seconds (other processes, restarts), and at
 * start-up. Each batch is one transaction: the subscribers' writes and the events' deletion
 * commit together, so each event is taken exactly once. With several processes, PostgreSQL
 * rows another process is handing over are skipped (SKIP LOCKED); SQLite's write lock
 * serialises the passes.
 */
@Injectable()
export class DomainEventDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DomainEventDispatcher.name);
  private readonly background = new BackgroundPass(() => this.dispatchDue(), {
    delayMs: WAKE_DELAY_MS,
    pollMs: POLL_MS,
  });

  constructor(
    private readonly events: DomainEvents,
    private readonly transactions: TransactionRunner,
    @InjectRepository(RecordedEvent) private readonly recorded: Repository<RecordedEvent>,
  ) {}

  onApplicationBootstrap(): void {
    this.events.onRecorded(() => this.background.wake());
    this.background.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.background.stop();
  }

  private async dispatchDue(): Promise<void> {
    try {
      while (!this.background.isStopped) {
        const waiting = await this.recorded.find({
          select: { id: true },
          where: due(),
          order: { id: 'ASC' },
          take: BATCH_SIZE,
        });
        if (waiting.length === 0) return;
        const ids = waiting.map((event) => event.id);
        const handed = await this.transactions
          .run((manager) => this.handOver(manager, ids))
          // One event a subscriber cannot take must not hold up the others: one by one, then.
          .catch(() => this.handOverOneByOne(ids));
        if (handed === 0) return; // another process has them
      }
    } catch (error) {
      // The database is unreachable or closing: the events wait for the next pass.
      this.logger.warn(`domain events: ${String(error)}`);
    }
  }

  /** Takes these events (those still due and not taken by another process); returns how many. */
  private async handOver(manager: EntityManager, ids: number[]): Promise<number> {
    const query = manager
      .createQueryBuilder(RecordedEvent, 'event')
      .where({ id: In(ids), ...due() })
      .orderBy('event.id');
    if (isPostgres(manager)) query.setLock('pessimistic_write').setOnLocked('skip_locked');
    const rows = await query.getMany();
    if (rows.length === 0) return 0;
    await this.events.handOver(
      manager,
      rows.map((row) => row.payload),
    );
    await manager.delete(RecordedEvent, { id: In(rows.map((row) => row.id)) });
    return rows.length;
  }

  private async handOverOneByOne(ids: number[]): Promise<number> {
    let handed = 0;
    for (const id of ids) {
      try {
        handed += await this.transactions.run((manager) => this.handOver(manager, [id]));
      } catch (error) {
        await this.postpone(id, error);
        handed++;
      }
    }
    return handed;
  }

  /** Counts the failed attempt: tried again later, or, by the retry policy, given up and kept with its error. */
  private async postpone(id: number, error: unknown): Promise<void> {
    const message = oneLine(error);
    await this.transactions.run(async (manager) => {
      const event = await manager.findOneBy(RecordedEvent, { id });
      if (!event) return;
      const attempts = event.attempts + 1;
      const lastError = message.slice(0, 500);
      if (givesUp(attempts, error)) {
        this.logger.error(
          `domain event ${id} (${event.type}) given up after attempt ${attempts}: ${message}`,
        );
        await manager.update(RecordedEvent, { id }, { attempts, lastError, gaveUpAt: new Date() });
        return;
      }
      const delayMs = retryDelayMs(attempts, RETRY_BASE_MS);
      this.logger.warn(
        `domain event ${id} (${event.type}) failed on attempt ${attempts}, ` +
          `next try in ${Math.ceil(delayMs / 1000)} s: ${message}`,
      );
      await manager.update(
        RecordedEvent,
        { id },
        { attempts, lastError, nextAttemptAt: new Date(Date.now() + delayMs) },
      );
    });
  }
}
