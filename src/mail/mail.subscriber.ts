import { Injectable, OnModuleInit } from '@nestjs/common';
import { afterCommit } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

/**
 * Every confirmed or cancelled booking (and every waiting-list offer) gets its mail, queued in the change's own transaction:
 * one INSERT into the outbox, so a committed booking always has its mail waiting (even if the
 * process dies a moment later) and the booking costs a single write transaction.
 */
@Injectable()
export class MailSubscriber implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: OutboxService,
    private readonly worker: OutboxWorker,
  ) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction(
      [
        'booking.confirmed',
        'booking.cancelled',
        'booking.payment_due',
        'booking.expired',
        'booking.refunded',
      ],
      async (manager, event) => {
        await this.outbox.enqueue(manager, {
          kind: event.type,
          bookingId: event.bookingId,
          eventId: event.eventId,
          recipient: event.attendeeEmail,
        });
        afterCommit(manager, () => this.worker.wake());
      },
    );
    this.events.subscribeInTransaction(['waiting_list.offered'], async (manager, event) => {
      await this.outbox.enqueue(manager, {
        kind: event.type,
        waitingListEntryId: event.entryId,
        eventId: event.eventId,
        recipient: event.email,
      });
      afterCommit(manager, () => this.worker.wake());
    });
    this.events.subscribeInTransaction(['account.link_issued'], async (manager, event) => {
      await this.outbox.enqueue(manager, {
        kind: `account.${event.purpose}`,
        accountTokenId: event.tokenId,
        recipient: event.recipient,
      });
      afterCommit(manager, () => this.worker.wake());
    });
    this.events.subscribeInTransaction(['team.invitation_issued'], async (manager, event) => {
      await this.outbox.enqueue(manager, {
        kind: 'team.invitation',
        invitationId: event.invitationId,
        recipient: event.recipient,
      });
      afterCommit(manager, () => this.worker.wake());
    });
  }
}
