import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { EventDate } from '../../events/entities/event-date.entity';
import { TicketType } from '../../events/entities/ticket-type.entity';
import { Voucher } from '../../vouchers/entities/voucher.entity';

/** As stored; an offer whose voucher was used shows as `redeemed` (see waitingListStatus). */
export type StoredEntryStatus = 'waiting' | 'offered' | 'lapsed';
export type WaitingListStatus = StoredEntryStatus | 'redeemed';

/** One person queuing for tickets of a sold-out type. */
@Entity('waiting_list_entries')
export class WaitingListEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'event_id' })
  eventId!: number;

  @Column({ name: 'ticket_type_id' })
  ticketTypeId!: number;

  /** The date it waits for. */
  @Column({ name: 'date_id' })
  dateId!: number;

  @ManyToOne(() => EventDate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'date_id' })
  date?: Relation<EventDate>;

  @ManyToOne(() => TicketType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  @Column()
  quantity!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Stored lower case: one entry per email and ticket type. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 10, default: 'waiting' })
  status!: StoredEntryStatus;

  /** The offer: a single-use voucher holding the tickets for this entry. */
  @Column({ name: 'voucher_id', type: 'integer', nullable: true })
  voucherId!: number | null;

  @ManyToOne(() => Voucher, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'voucher_id' })
  voucher?: Relation<Voucher> | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'offered_at', type: Date, nullable: true })
  offeredAt!: Date | null;
}

/** What the organiser sees: an offer whose voucher has been used is `redeemed`; one that can no longer be used, `lapsed`. */
export function waitingListStatus(entry: WaitingListEntry): WaitingListStatus {
  if (entry.status !== 'offered') return entry.status;
  if (entry.voucher && entry.voucher.redeemed > 0) return 'redeemed';
  // Deleted by the organiser, or its time ran out (the sweep marks it lapsed within seconds).
  if (!entry.voucher || entry.voucher.releasedAt) return 'lapsed';
  return 'offered';
}
