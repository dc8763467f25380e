import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { Event } from '../../events/entities/event.entity';
import { TicketType } from '../../events/entities/ticket-type.entity';

export const PRICE_MODES = ['none', 'set', 'subtract', 'percent'] as const;
export type PriceMode = (typeof PRICE_MODES)[number];

/** A code of one event that discounts, unlocks hidden ticket types or holds tickets back for its holders. */
@Entity('vouchers')
@Index('vouchers_event_code', ['eventId', 'code'], { unique: true })
export class Voucher {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  /** Upper case, 4–32 of A–Z, 0–9 and "-". */
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  /** How many tickets it may be used for. */
  @Column({ name: 'max_usages', default: 1 })
  maxUsages!: number;

  /** Tickets of pending and confirmed bookings bought with it. */
  @Column({ default: 0 })
  redeemed!: number;

  @Column({ name: 'valid_until', type: Date, nullable: true })
  validUntil!: Date | null;

  /** Only this ticket type (null: any of the event's). */
  @Column({ name: 'ticket_type_id', type: 'integer', nullable: true })
  ticketTypeId!: number | null;

  @ManyToOne(() => TicketType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  /** The date it holds tickets on, and may be used for (a reserving voucher's); null: any date. */
  @Column({ name: 'date_id', type: 'integer', nullable: true })
  dateId!: number | null;

  @Column({ name: 'price_mode', type: 'varchar', length: 10, default: 'none' })
  priceMode!: PriceMode;

  /** Cents for `set` and `subtract`, a percentage for `percent`. */
  @Column({ default: 0 })
  value!: number;

  @Column({ name: 'unlocks_hidden', default: false })
  unlocksHidden!: boolean;

  @Column({ name: 'reserves_capacity', default: false })
  reservesCapacity!: boolean;

  /** Tickets of its type held back for it now (a reserving voucher's unused usages, until released). */
  @Column({ default: 0 })
  held!: number;

  /** When its hold on tickets ended for good (it lapsed); null while it may still hold them. */
  @Column({ name: 'released_at', type: Date, nullable: true })
  releasedAt!: Date | null;

  @Column({ type: 'varchar', length: 60, default: '' })
  tag!: string;

  /** One booking uses it (a waiting-list offer): what that booking leaves of its hold is freed. */
  @Column({ name: 'single_use', default: false })
  singleUse!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
