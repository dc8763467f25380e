import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
  Unique,
} from 'typeorm';
import { Event } from '../../events/entities/event.entity';
import { TicketType } from '../../events/entities/ticket-type.entity';
import { SeatingSection } from './seating-section.entity';

/**
 * One seat of an event's map: its section, row and label as people read them, its place for
 * drawing (`x`, `y`; the stage is at the top, y = 0), and the ticket type it is sold as. Seats
 * side by side in a row have consecutive `seatIndex`.
 */
@Entity('seats')
@Unique('seats_label', ['sectionId', 'rowLabel', 'label'])
export class Seat {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('seats_by_event')
  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ name: 'section_id' })
  sectionId!: number;

  @ManyToOne(() => SeatingSection, (section) => section.seats, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'section_id' })
  section?: Relation<SeatingSection>;

  @Index('seats_by_ticket_type')
  @Column({ name: 'ticket_type_id' })
  ticketTypeId!: number;

  @ManyToOne(() => TicketType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  @Column({ name: 'row_label', type: 'varchar', length: 10 })
  rowLabel!: string;

  /** The row's place in its section, from the stage back. */
  @Column({ name: 'row_index' })
  rowIndex!: number;

  @Column({ type: 'varchar', length: 10 })
  label!: string;

  /** The seat's place in its row. */
  @Column({ name: 'seat_index' })
  seatIndex!: number;

  @Column()
  x!: number;

  @Column()
  y!: number;

  /** Not sold on any date (a pillar, the sound desk). */
  @Column({ default: false })
  unavailable!: boolean;
}
