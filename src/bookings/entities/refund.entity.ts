import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Money sent back for a booking (PRODUCT.md "Refunds"); the booking's refunded_cents is their sum. */
@Entity('refunds')
export class Refund {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'booking_id' })
  bookingId!: number;

  /** 1 for a booking's first refund, 2 for its second…: part of the provider's idempotency key. */
  @Column()
  seq!: number;

  @Column({ name: 'amount_cents' })
  amountCents!: number;

  /** `pending` while the provider is still sending it (Stripe, to some banks). */
  @Column({ type: 'varchar', length: 20, default: 'succeeded' })
  status!: 'pending' | 'succeeded';

  /** The provider's id of the refund (Stripe's re_…); null for money returned by hand. */
  @Column({ name: 'provider_refund_id', type: 'varchar', length: 255, nullable: true })
  providerRefundId!: string | null;

  /** The organiser or admin who made it. */
  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
