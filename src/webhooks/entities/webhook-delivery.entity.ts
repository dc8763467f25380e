import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one endpoint: tried until its receiver answers 2xx, or for a day. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'endpoint_id' })
  endpointId!: number;

  /** A WebhookEvent, or TEST_EVENT. */
  @Column({ type: 'varchar', length: 40 })
  event!: string;

  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId!: number | null;

  /** The body, written at the first attempt and sent as it is on every retry (so it signs the same). */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ default: 0 })
  attempts!: number;

  @Column({ name: 'response_code', type: 'integer', nullable: true })
  responseCode!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt!: Date;

  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
