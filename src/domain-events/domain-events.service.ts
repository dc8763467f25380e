import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertWithoutReadBack } from '../database/inserts';
import { afterCommit } from '../database/transaction-runner';
import { DomainEvent, DomainEventOf, DomainEventType } from './domain-event';
import { RecordedEvent } from './entities/recorded-event.entity';

/**
 * A subscriber that must not miss an event, even across a crash: it is handed its events
 * inside a transaction of their own and writes what it makes of them there (a mail to
 * send, a webhook delivery), so it takes each event exactly once.
 */
export type DurableHandler<Type extends DomainEventType> = (
  manager: EntityManager,
  events: DomainEventOf<Type>[],
) => Promise<void>;

/**
 * A part of the change itself that another module owns: run inside the change's transaction,
 * when the event is recorded (e.g. an event's cancelled bookings deleted with it).
 */
export type InTransactionHandler<Type extends DomainEventType> = (
  manager: EntityManager,
  event: DomainEventOf<Type>,
) => Promise<void>;

/** A reaction in this process only, once the change has committed (e.g. dropping cached pages). */
export type CommitListener = (event: DomainEvent) => void;

interface Subscription {
  types: ReadonlySet<DomainEventType>;
  handle: DurableHandler<DomainEventType>;
}

/** Where changes announce what happened, and where the modules that react to it subscribe. */
@Injectable()
export class DomainEvents {
  private readonly subscriptions: Subscription[] = [];
  private readonly inTransaction: {
    types: ReadonlySet<DomainEventType>;
    handle: InTransactionHandler<DomainEventType>;
  }[] = [];
  private readonly listeners: CommitListener[] = [];
  private readonly recordedListeners: (() => void)[] = [];

  /**
   * Records `event` in the transaction of `manager`: the in-transaction subscribers of its
   * type run now; it is kept for the durable subscribers (one INSERT; none when nobody
   * subscribes durably); once the transaction has committed, this process's listeners hear it.
   */
  async record(manager: EntityManager, event: DomainEvent): Promise<void> {
    for (const subscription of this.inTransaction) {
      if (subscription.types.has(event.type)) await subscription.handle(manager, event);
    }
    const durable = this.subscriptions.some((subscription) => subscription.types.has(event.type));
    if (durable) {
      await insertWithoutReadBack(manager, RecordedEvent, {
        type: event.type,
        payload: event,
        nextAttemptAt: new Date(),
      });
    }
    afterCommit(manager, () => {
      for (const listener of this.listeners) listener(event);
      if (durable) for (const listener of this.recordedListeners) listener();
    });
  }

  /** Hands every event of these types to `handle`, exactly once, in a transaction. */
  subscribeDurably<Type extends DomainEventType>(
    types: Type[],
    handle: DurableHandler<Type>,
  ): void {
    this.subscriptions.push({
      types: new Set(types),
      handle: handle as unknown as DurableHandler<DomainEventType>,
    });
  }

  /** Runs `handle` in the transaction that records an event of these types, as it is recorded. */
  subscribeInTransaction<Type extends DomainEventType>(
    types: Type[],
    handle: InTransactionHandler<Type>,
  ): void {
    this.inTransaction.push({
      types: new Set(types),
      handle: handle as unknown as InTransactionHandler<DomainEventType>,
    });
  }

  /** Calls `listener` with each event committed in this process. */
  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** For the dispatcher: told when events for durable subscribers were committed here. */
  onRecorded(listener: () => void): void {
    this.recordedListeners.push(listener);
  }

  /** Hands `events` to each durable subscriber of their types, in `manager`'s transaction. */
  async handOver(manager: EntityManager, events: DomainEvent[]): Promise<void> {
    for (const subscription of this.subscriptions) {
      const theirs = events.filter((event) => subscription.types.has(event.type));
      if (theirs.length > 0) await subscription.handle(manager, theirs);
    }
  }
}
