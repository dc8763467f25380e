import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { Event } from './event.entity';

@Entity('ticket_types')
// Summed over the event's dates; each date's counts are kept within capacity in date_inventory.
@Check('ticket_types_sold_within_capacity', 'sold >= 0 AND reserved >= 0')
export class TicketType {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, (event) => event.ticketTypes, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ name: 'price_cents' })
  priceCents!: number;

  @Column()
  capacity!: number;

  @Column({ default: 0 })
  sold!: number;

  /** Held back for vouchers that reserve tickets of this type, until redeemed or released. */
  @Column({ default: 0 })
  reserved!: number;

  /** Waiting-list entries still waiting: while there are any, what comes free is theirs, not the public's. */
  @Column({ default: 0 })
  waiting!: number;

  @Column({ name: 'sort_order', default: 0 })
  sortOrder!: number;

  /** A few words shown under the name (at most 500 characters). */
  @Column({ type: 'text', default: '' })
  description!: string;

  /** Sales of this type open at this moment (null: as soon as the event is published). */
  @Column({ name: 'sale_starts_at', type: Date, nullable: true })
  saleStartsAt!: Date | null;

  /** Sales of this type close at this moment (null: when the event starts). */
  @Column({ name: 'sale_ends_at', type: Date, nullable: true })
  saleEndsAt!: Date | null;

  @Column({ name: 'min_per_order', default: 1 })
  minPerOrder!: number;

  @Column({ name: 'max_per_order', default: 10 })
  maxPerOrder!: number;

  /** Shown and sold only with a voucher that unlocks it. */
  @Column({ default: false })
  hidden!: boolean;

  /** Sold by seat: its capacity is its seats on the event's seat map (set by the map, not the form). */
  @Column({ default: false })
  seated!: boolean;
}
