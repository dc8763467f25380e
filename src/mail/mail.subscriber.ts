import { Injectable, OnModuleInit } from '@nestjs/common';
import { afterCommit } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

/** Every confirmed or cancelled booking gets its mail: queued as the event is handed over. */
@Injectable()
export class MailSubscriber implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: OutboxService,
    private readonly worker: OutboxWorker,
  ) {}

  onModuleInit(): void {
    this.events.subscribeDurably(
      ['booking.confirmed', 'booking.cancelled'],
      async (manager, events) => {
        await this.outbox.enqueue(
          manager,
          events.map((event) => ({
            kind: event.type,
            bookingId: event.bookingId,
            recipient: event.attendeeEmail,
          })),
        );
        afterCommit(manager, () => this.worker.wake());
      },
    );
  }
}
