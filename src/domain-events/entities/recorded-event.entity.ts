import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DomainEvent, DomainEventType } from '../domain-event';

/** A domain event waiting for its durable subscribers (see DomainEventDispatcher). */
@Entity('domain_events')
export class RecordedEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  type!: DomainEventType;

  /** The whole event as JSON. */
  @Column({ type: 'text', transformer: { to: JSON.stringify, from: JSON.parse } })
  payload!: DomainEvent;

  /** Failed hand-overs so far: a subscriber threw (its changes were rolled back). */
  @Column({ default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt!: Date;

  /** Set when the retry policy gave the event up: kept, with its last error, and tried no more. */
  @Column({ name: 'gave_up_at', type: Date, nullable: true })
  gaveUpAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
