import {
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Relation,
  Unique,
} from 'typeorm';
import { Event } from '../../events/entities/event.entity';
import { Seat } from './seat.entity';

/** A part of a venue's seat map (stalls, circle, a block), with its rows of seats. */
@Entity('seating_sections')
@Unique('seating_sections_name', ['eventId', 'name'])
export class SeatingSection {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ name: 'sort_order' })
  sortOrder!: number;

  @OneToMany(() => Seat, (seat) => seat.section)
  seats?: Seat[];
}
