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
import { TicketType } from '../../events/entities/ticket-type.entity';
import { Booking } from './booking.entity';

@Entity('booking_items')
@Check('booking_items_quantity_positive', 'quantity > 0')
export class BookingItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'booking_id' })
  bookingId!: number;

  @ManyToOne(() => Booking, (booking) => booking.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<Booking>;

  @Index()
  @Column({ name: 'ticket_type_id' })
  ticketTypeId!: number;

  @ManyToOne(() => TicketType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  @Column()
  quantity!: number;

  @Column({ name: 'unit_price_cents' })
  unitPriceCents!: number;
}
