import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event's one admission clock: places handed out, admitted through which place, and the
 * admissions owed since the last step. Each step is a conditional UPDATE on `stepped_at`, so
 * whichever process steps first does it, and every other finds it done.
 */
@Entity('queue_clocks')
export class QueueClock {
  @PrimaryColumn({ name: 'event_id' })
  eventId!: number;

  @Column({ name: 'next_position', default: 0 })
  nextPosition!: number;

  @Column({ name: 'admitted_through', default: 0 })
  admittedThrough!: number;

  /** Admissions owed but not yet made, in thousandths (the rate accrues between steps). */
  @Column({ name: 'credit_milli', default: 0 })
  creditMilli!: number;

  @Column({ name: 'stepped_at', type: Date, nullable: true })
  steppedAt!: Date | null;

  /** When the places of those who joined before the opening were drawn. */
  @Column({ name: 'drawn_at', type: Date, nullable: true })
  drawnAt!: Date | null;
}
