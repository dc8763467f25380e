import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { Event } from '../../events/entities/event.entity';
import { EventDate } from '../../events/entities/event-date.entity';
import { Voucher } from '../../vouchers/entities/voucher.entity';
import { BookingItem } from './booking-item.entity';
import { Ticket } from './ticket.entity';

import type { PaymentMethod } from '../../payments/payment-method';

/** PRODUCT.md "Orders": `pending` holds its tickets until `expires_at`; `expired` gave them back. */
export type BookingStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

@Entity('bookings')
export class Booking {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 20, unique: true })
  reference!: string;

  @Column({ type: 'varchar', length: 64, select: false })
  secret!: string;

  @Index()
  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ name: 'attendee_name', type: 'varchar', length: 100 })
  attendeeName!: string;

  @Column({ name: 'attendee_email', type: 'varchar', length: 254 })
  attendeeEmail!: string;

  @Column({ name: 'total_cents' })
  totalCents!: number;

  @Column({ type: 'varchar', length: 20, default: 'confirmed' })
  status!: BookingStatus;

  /** When a pending booking's hold lapses; null for every other status. */
  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  /** Null while a held booking's buyer has not yet chosen how to pay. */
  @Column({ name: 'payment_method', type: 'varchar', length: 20, nullable: true })
  paymentMethod!: PaymentMethod | null;

  /** When the money arrived; null while it is due (at the door, by transfer) or for a free booking. */
  @Column({ name: 'paid_at', type: Date, nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'refunded_cents', default: 0 })
  refundedCents!: number;

  /** The Checkout Session of a booking paid (or being paid) by card. */
  @Column({ name: 'stripe_session_id', type: 'varchar', length: 255, nullable: true })
  stripeSessionId!: string | null;

  /** The card payment, for refunds. */
  @Column({ name: 'stripe_payment_intent', type: 'varchar', length: 255, nullable: true })
  stripePaymentIntent!: string | null;

  /** The date of the event it is for. */
  @Column({ name: 'date_id' })
  dateId!: number;

  @ManyToOne(() => EventDate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'date_id' })
  date?: Relation<EventDate>;

  /** The voucher used for some of its tickets. */
  @Column({ name: 'voucher_id', type: 'integer', nullable: true })
  voucherId!: number | null;

  @ManyToOne(() => Voucher, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'voucher_id' })
  voucher?: Relation<Voucher> | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 100, nullable: true, unique: true })
  idempotencyKey!: string | null;

  /** A hash of the order first made with the idempotency key; the same key with another order is refused. */
  @Column({
    name: 'idempotency_fingerprint',
    type: 'varchar',
    length: 64,
    nullable: true,
    select: false,
  })
  idempotencyFingerprint!: string | null;

  @OneToMany(() => BookingItem, (item) => item.booking)
  items?: BookingItem[];

  /** One per unit bought. */
  @OneToMany(() => Ticket, (ticket) => ticket.booking)
  tickets?: Relation<Ticket>[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'cancelled_at', type: Date, nullable: true })
  cancelledAt!: Date | null;

  /** Set once, by the first check-in at the door (CheckInService). */
  @Column({ name: 'checked_in_at', type: Date, nullable: true })
  checkedInAt!: Date | null;
}
