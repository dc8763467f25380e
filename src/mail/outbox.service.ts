import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { insertWithoutReadBack } from '../database/inserts';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { MailKind, OutboxMessage } from './entities/outbox-message.entity';

/**
 * The `outbox` table: mails queued in the transaction of the change they announce
 * (MailSubscriber), then claimed, sent and marked by OutboxWorker. A row is sent at least
 * once; it is sent twice only if a process dies between handing it to the mail server and
 * marking it sent.
 */
const PENDING_AND_DUE =
  'message.sent_at IS NULL AND message.gave_up_at IS NULL AND message.next_attempt_at <= :now';

@Injectable()
export class OutboxService {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Queues a mail inside the caller's transaction: one INSERT, nothing read back. */
  async enqueue(
    manager: EntityManager,
    mail: { kind: MailKind; bookingId: number; recipient: string },
  ): Promise<void> {
    await insertWithoutReadBack(manager, OutboxMessage, { ...mail, nextAttemptAt: new Date() });
  }

  /** A cheap look (no write, no lock) whether any mail is due, so idle wake-ups cost one indexed read. */
  async anyDue(): Promise<boolean> {
    const due = await this.messages
      .createQueryBuilder('message')
      .select('message.id')
      .where(PENDING_AND_DUE, { now: new Date() })
      .limit(1)
      .getRawMany();
    return due.length > 0;
  }

  /**
   * Takes up to `limit` due mails for this process: counts the attempt and moves each one's
   * next attempt `leaseMs` ahead, so no other worker takes it meanwhile (nor again after a
   * crash, until the lease runs out). On PostgreSQL, rows another process is claiming at this
   * moment are skipped (SKIP LOCKED); on SQLite the transaction holds the file's write lock.
   */
  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const due = manager
        .createQueryBuilder(OutboxMessage, 'message')
        .where(PENDING_AND_DUE, { now })
        .orderBy('message.next_attempt_at')
        .addOrderBy('message.id')
        .limit(limit);
      if (isPostgres(manager)) {
        due.setLock('pessimistic_write').setOnLocked('skip_locked');
      }
      const messages = await due.getMany();
      if (messages.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ attempts: () => 'attempts + 1', nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where({ id: In(messages.map((message) => message.id)) })
        .execute();
      return messages.map((message) => ({ ...message, attempts: message.attempts + 1 }));
    });
  }

  /** Done with these mails: sent, or no longer to be sent. */
  async markSent(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.transactions.run((manager) =>
      manager.update(OutboxMessage, { id: In(ids) }, { sentAt: new Date(), lastError: null }),
    );
  }

  /** Gives claimed mails back, due now and with their attempt uncounted, for any process to send. */
  async release(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ attempts: () => 'attempts - 1', nextAttemptAt: new Date() })
        .where({ id: In(ids), sentAt: IsNull() })
        .execute(),
    );
  }

  async markFailed(id: number, error: string, retryAt: Date): Promise<void> {
    await this.transactions.run((manager) =>
      manager.update(
        OutboxMessage,
        { id },
        { lastError: error.slice(0, 500), nextAttemptAt: retryAt },
      ),
    );
  }

  /** No more tries for this mail; `error` says why. */
  async giveUp(id: number, error: string): Promise<void> {
    await this.transactions.run((manager) =>
      manager.update(
        OutboxMessage,
        { id },
        { lastError: error.slice(0, 500), gaveUpAt: new Date() },
      ),
    );
  }
}
