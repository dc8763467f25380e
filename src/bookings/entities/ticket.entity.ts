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
import { TicketType } from '../../events/entities/ticket-type.entity';
import { Seat } from '../../seating/entities/seat.entity';
import { Booking } from './booking.entity';

/** One admission: a booking holds one ticket per unit bought, each with its own code and check-in. */
@Entity('tickets')
@Index('tickets_code', ['code'], { unique: true })
export class Ticket {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('tickets_by_booking')
  @Column({ name: 'booking_id' })
  bookingId!: number;

  @ManyToOne(() => Booking, (booking) => booking.tickets, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<Booking>;

  @Column({ name: 'ticket_type_id' })
  ticketTypeId!: number;

  @ManyToOne(() => TicketType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  /** 16 characters of Crockford's base32: what the ticket's QR code carries. */
  @Column({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ name: 'attendee_name', type: 'varchar', length: 100, nullable: true })
  attendeeName!: string | null;

  /** The seat it is for, on a seated ticket type. */
  @Column({ name: 'seat_id', type: 'integer', nullable: true })
  seatId!: number | null;

  @ManyToOne(() => Seat, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'seat_id' })
  seat?: Relation<Seat> | null;

  @Column({ name: 'checked_in_at', type: Date, nullable: true })
  checkedInAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
