import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { loggable } from '../common/loggable';
import { AppConfig, MailLimits } from '../config/app-config';
import { insertWithoutReadBack } from '../database/inserts';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { MailKind, OutboxMessage } from './entities/outbox-message.entity';
import { applyMailLimits, recipientKey } from './mail-limits';

/**
 * The `outbox` table: mails queued in the transaction of the change they announce
 * (MailSubscriber), then claimed, sent and marked by OutboxWorker. A row is sent at least
 * once; it is sent twice only if a process dies between handing it to the mail server and
 * marking it sent.
 */
const PENDING =
  'message.sent_at IS NULL AND message.gave_up_at IS NULL AND message.suppressed_at IS NULL';
const PENDING_AND_DUE = `${PENDING} AND message.next_attempt_at <= :now`;
/** Claimed by a worker and being sent now (or waiting for a retry): counts against the caps. */
const IN_FLIGHT = `${PENDING} AND message.attempts > 0 AND message.next_attempt_at > :now`;
/** A mail of an event past its cap waits this long, then tries again. */
const PACING_DELAY_MS = 60_000;

@Injectable()
export class OutboxService {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly transactions: TransactionRunner,
    config: AppConfig,
  ) {
    this.limits = config.mail.limits;
  }

  private readonly limits: MailLimits;
  private readonly logger = new Logger(OutboxService.name);
  /** Addresses warned about, until when (one warning an hour per address, per process). */
  private readonly warned = new Map<string, number>();

  /** Queues a mail inside the caller's transaction: one INSERT, nothing read back. */
  async enqueue(
    manager: EntityManager,
    mail: { kind: MailKind; eventId?: number; recipient: string } & (
      | { bookingId: number }
      | { waitingListEntryId: number }
      | { accountTokenId: number }
      | { invitationId: number }
    ),
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
   * crash, until the lease runs out). The caps apply here: a mail past its recipient's cap is
   * marked suppressed (and never sent), one past its event's cap waits a minute. Claims take
   * turns across processes (on PostgreSQL an advisory lock, on SQLite the file's write lock),
   * so the counts they go by are exact.
   */
  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    return this.transactions.run(async (manager) => {
      if (isPostgres(manager)) {
        await manager.query("SELECT pg_advisory_xact_lock(hashtext('boxoffice outbox claim'))");
      }
      const now = new Date();
      const due = manager
        .createQueryBuilder(OutboxMessage, 'message')
        .where(PENDING_AND_DUE, { now })
        .orderBy('message.next_attempt_at')
        .addOrderBy('message.id')
        .limit(limit);
      const messages = await due.getMany();
      if (messages.length === 0) return [];
      const { send, suppress, postpone } = applyMailLimits(
        messages,
        this.limits,
        await this.sentToRecipients(manager, messages, now),
        await this.sentForEvents(manager, messages, now),
      );
      await this.suppress(manager, suppress, now);
      await update(manager, postpone, { nextAttemptAt: new Date(now.getTime() + PACING_DELAY_MS) });
      await update(manager, send, {
        attempts: () => 'attempts + 1',
        nextAttemptAt: new Date(now.getTime() + leaseMs),
      });
      return send.map((message) => ({ ...message, attempts: message.attempts + 1 }));
    });
  }

  /** How many mails each of these recipients had in the last hour (sent, or being sent). */
  private async sentToRecipients(
    manager: EntityManager,
    batch: OutboxMessage[],
    now: Date,
  ): Promise<Map<string, number>> {
    if (this.limits.perRecipientPerHour === 0) return new Map();
    const rows = await manager
      .createQueryBuilder(OutboxMessage, 'message')
      .select('LOWER(message.recipient)', 'recipient')
      .addSelect('COUNT(*)', 'count')
      .where(`(message.sent_at > :hourAgo OR (${IN_FLIGHT}))`, {
        hourAgo: new Date(now.getTime() - 3_600_000),
        now,
      })
      .andWhere('LOWER(message.recipient) IN (:...recipients)', {
        recipients: [...new Set(batch.map((message) => recipientKey(message.recipient)))],
      })
      .groupBy('LOWER(message.recipient)')
      .getRawMany<{ recipient: string; count: string | number }>();
    return new Map(rows.map((row) => [row.recipient, Number(row.count)]));
  }

  /** How many mails each of these events had in the last minute (sent, or being sent). */
  private async sentForEvents(
    manager: EntityManager,
    batch: OutboxMessage[],
    now: Date,
  ): Promise<Map<number, number>> {
    const events = [...new Set(batch.flatMap((message) => message.eventId ?? []))];
    if (this.limits.perEventPerMinute === 0 || events.length === 0) return new Map();
    const rows = await manager
      .createQueryBuilder(OutboxMessage, 'message')
      .select('message.event_id', 'eventId')
      .addSelect('COUNT(*)', 'count')
      .where(`(message.sent_at > :minuteAgo OR (${IN_FLIGHT}))`, {
        minuteAgo: new Date(now.getTime() - 60_000),
        now,
      })
      .andWhere('message.event_id IN (:...events)', { events })
      .groupBy('message.event_id')
      .getRawMany<{ eventId: number; count: string | number }>();
    return new Map(rows.map((row) => [Number(row.eventId), Number(row.count)]));
  }

  /** Marks mails past a recipient's cap as never to be sent; warns once an hour per address. */
  private async suppress(manager: EntityManager, mails: OutboxMessage[], now: Date) {
    const reason = `over the cap of ${this.limits.perRecipientPerHour} mails an hour to this address (MAILS_PER_RECIPIENT_PER_HOUR)`;
    await update(manager, mails, { suppressedAt: now, suppressedReason: reason });
    for (const recipient of new Set(mails.map((mail) => recipientKey(mail.recipient)))) {
      if ((this.warned.get(recipient) ?? 0) > now.getTime()) continue;
      this.warned.set(recipient, now.getTime() + 3_600_000);
      this.logger.warn(`mails to ${loggable(recipient)} suppressed: ${reason}`);
    }
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

/** Sets `changes` on these mails (none: nothing to do). */
async function update(
  manager: EntityManager,
  mails: OutboxMessage[],
  changes: QueryDeepPartialEntity<OutboxMessage>,
): Promise<void> {
  if (mails.length === 0) return;
  await manager
    .createQueryBuilder()
    .update(OutboxMessage)
    .set(changes)
    .where({ id: In(mails.map((mail) => mail.id)) })
    .execute();
}
