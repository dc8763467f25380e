import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Relation,
} from 'typeorm';
import { EventDate } from '../../events/entities/event-date.entity';
import { Seat } from './seat.entity';

export type DateSeatStatus = 'free' | 'taken' | 'unavailable';

/**
 * A seat on one of its event's dates: free, taken by one booking (held while it is pending, sold
 * once confirmed), or unavailable. Taking it is a conditional UPDATE (`WHERE status = 'free'`).
 */
@Entity('date_seats')
@Check(
  'date_seats_status',
  "status IN ('free', 'taken', 'unavailable') AND (status = 'taken') = (booking_id IS NOT NULL)",
)
export class DateSeat {
  @PrimaryColumn({ name: 'date_id' })
  dateId!: number;

  @ManyToOne(() => EventDate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'date_id' })
  date?: Relation<EventDate>;

  @Index('date_seats_by_seat')
  @PrimaryColumn({ name: 'seat_id' })
  seatId!: number;

  @ManyToOne(() => Seat, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'seat_id' })
  seat?: Relation<Seat>;

  @Column({ type: 'varchar', length: 12, default: 'free' })
  status!: DateSeatStatus;

  /** The booking holding the seat (bookings stand above seating: the table is named, not its entity). */
  @Index('date_seats_by_booking')
  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId!: number | null;
}
