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
import { Event } from './event.entity';

@Entity('ticket_types')
@Check('ticket_types_sold_within_capacity', 'sold >= 0 AND sold <= capacity')
export class TicketType {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'event_id' })
  eventId!: number;

  @ManyToOne(() => Event, (event) => event.ticketTypes, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<Event>;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ name: 'price_cents' })
  priceCents!: number;

  @Column()
  capacity!: number;

  @Column({ default: 0 })
  sold!: number;

  @Column({ name: 'sort_order', default: 0 })
  sortOrder!: number;
}
