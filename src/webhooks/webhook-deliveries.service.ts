import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { insertWithoutReadBack } from '../database/inserts';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';

/** The row's outcome after an attempt. */
export type AttemptOutcome =
  | { delivered: true; responseCode: number }
  | { delivered: false; responseCode: number | null; error: string; retryAt: Date | null };

/**
 * The `webhook_deliveries` table: queued in the transaction of the change they announce,
 * claimed by one worker at a time (a lease, like the mail outbox), marked delivered or tried
 * again later.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * The endpoints to tell about a change of a booking of `eventId`: those of the event's
   * organisation and the site's, that asked for `event`. One indexed read in the change's transaction.
   */
  async endpointsFor(manager: EntityManager, eventId: number, event: string): Promise<number[]> {
    const endpoints = await manager
      .createQueryBuilder(WebhookEndpoint, 'endpoint')
      .where(
        '(endpoint.organisation_id = (SELECT organisation_id FROM events WHERE id = :eventId) OR endpoint.organisation_id IS NULL)',
        { eventId },
      )
      .getMany();
    return endpoints
      .filter((endpoint) => endpoint.events.includes(event as never))
      .map(({ id }) => id);
  }

  async enqueue(
    manager: EntityManager,
    endpointIds: number[],
    event: string,
    bookingId: number | null,
  ): Promise<void> {
    if (endpointIds.length === 0) return;
    await insertWithoutReadBack(
      manager,
      WebhookDelivery,
      endpointIds.map((endpointId) => ({
        endpointId,
        event,
        bookingId,
        nextAttemptAt: new Date(),
      })),
    );
  }

  /** A cheap look whether anything is due, so an idle poll costs one indexed read. */
  async anyDue(manager: EntityManager): Promise<boolean> {
    const due = await manager
      .createQueryBuilder(WebhookDelivery, 'delivery')
      .select('delivery.id')
      .where("delivery.status = 'pending' AND delivery.next_attempt_at <= :now", {
        now: new Date(),
      })
      .limit(1)
      .getRawMany();
    return due.length > 0;
  }

  /**
   * Takes up to `limit` due deliveries for this process: counts the attempt and moves the next
   * one `leaseMs` ahead, so that no other worker sends them meanwhile (nor again after a crash,
   * until the lease runs out). On PostgreSQL rows another process is claiming are skipped.
   */
  async claimDue(limit: number, leaseMs: number): Promise<WebhookDelivery[]> {
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const query = manager
        .createQueryBuilder(WebhookDelivery, 'delivery')
        .where("delivery.status = 'pending' AND delivery.next_attempt_at <= :now", { now })
        .orderBy('delivery.next_attempt_at')
        .addOrderBy('delivery.id')
        .limit(limit);
      if (isPostgres(manager)) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const due = await query.getMany();
      if (due.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ attempts: () => 'attempts + 1', nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where({ id: In(due.map(({ id }) => id)) })
        .execute();
      return due.map((delivery) => ({ ...delivery, attempts: delivery.attempts + 1 }));
    });
  }

  /** Keeps the body of the first attempt, so every retry sends (and signs) the same. */
  async keepPayload(id: number, payload: string): Promise<void> {
    await this.transactions.run((manager) =>
      manager.update(WebhookDelivery, { id, payload: IsNull() }, { payload }),
    );
  }

  async record(id: number, outcome: AttemptOutcome): Promise<void> {
    await this.transactions.run((manager) =>
      manager.update(
        WebhookDelivery,
        { id, status: 'pending' },
        outcome.delivered
          ? {
              status: 'delivered',
              responseCode: outcome.responseCode,
              deliveredAt: new Date(),
              lastError: null,
            }
          : {
              status: outcome.retryAt ? 'pending' : 'failed',
              responseCode: outcome.responseCode,
              lastError: outcome.error.slice(0, 500),
              ...(outcome.retryAt ? { nextAttemptAt: outcome.retryAt } : {}),
            },
      ),
    );
  }
}
