import { Injectable, OnModuleInit } from '@nestjs/common';
import { afterCommit } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WEBHOOK_EVENTS } from './webhook-events';
import { WebhookWorker } from './webhook.worker';

/**
 * Each change of a booking that endpoints asked for is queued for them in the change's own
 * transaction (one read of the endpoints, one INSERT when there are any), so a committed change
 * always has its deliveries waiting, even if the process dies a moment later.
 */
@Injectable()
export class WebhooksSubscriber implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly deliveries: WebhookDeliveries,
    private readonly worker: WebhookWorker,
  ) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction([...WEBHOOK_EVENTS], async (manager, event) => {
      const endpoints = await this.deliveries.endpointsFor(manager, event.eventId, event.type);
      if (endpoints.length === 0) return;
      await this.deliveries.enqueue(manager, endpoints, event.type, event.bookingId);
      afterCommit(manager, () => this.worker.wake());
    });
  }
}
