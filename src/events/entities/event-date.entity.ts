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
import { DateInventory } from './date-inventory.entity';
import { Event } from './event.entity';

export type EventDateStatus = 'scheduled' | 'cancelled';

/** One performance of an event: a booking is for one date. */
@Entity('event_dates')
@Index('event_dates_by_event', ['eventId', 'startsAt'])
export class EventDate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, (event) => event.dates, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ name: 'starts_at' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: Date, nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'varchar', length: 10, default: 'scheduled' })
  status!: EventDateStatus;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  /** Each ticket type's tickets on this date (loaded where shown). */
  @OneToMany(() => DateInventory, (stock) => stock.date)
  stock?: Relation<DateInventory>[];
}
