import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type QueueEntryStatus = 'waiting' | 'admitted' | 'purchased' | 'lapsed' | 'sold_out';

/** One visitor's place in an event's queue, named by the cookie `boxoffice.queue.<eventId>`. */
@Entity('queue_entries')
export class QueueEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'event_id' })
  eventId!: number;

  /** SHA-256 of the cookie's token: the token itself is stored nowhere. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, select: false })
  tokenHash!: string;

  @Column({ name: 'client_address', type: 'varchar', length: 64 })
  clientAddress!: string;

  @Column({ name: 'joined_at', type: Date })
  joinedAt!: Date;

  /** A random draw (16 hex digits): places of those who joined before the opening follow it. */
  @Column({ type: 'varchar', length: 16 })
  draw!: string;

  /** 1 for the first in line; null until places are drawn at the opening. */
  @Column({ type: 'integer', nullable: true })
  position!: number | null;

  @Column({ type: 'varchar', length: 10 })
  status!: QueueEntryStatus;

  @Column({ name: 'admitted_at', type: Date, nullable: true })
  admittedAt!: Date | null;

  /** An admission's end: the visitor buys before it, or the entry lapses. */
  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;
}
