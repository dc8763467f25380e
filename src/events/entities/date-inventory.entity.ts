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
import { EventDate } from './event-date.entity';
import { TicketType } from './ticket-type.entity';

/**
 * One ticket type on one date: its capacity applies per date, so what is sold, held for
 * vouchers and waited for is counted here (the type's own counts are the sums over its dates).
 */
@Entity('date_inventory')
@Check(
  'date_inventory_within_capacity',
  'sold >= 0 AND reserved >= 0 AND waiting >= 0 AND sold + reserved <= capacity',
)
export class DateInventory {
  @PrimaryColumn({ name: 'date_id' })
  dateId!: number;

  @ManyToOne(() => EventDate, (date) => date.stock, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'date_id' })
  date?: Relation<EventDate>;

  @Index('date_inventory_by_type')
  @PrimaryColumn({ name: 'ticket_type_id' })
  ticketTypeId!: number;

  @ManyToOne(() => TicketType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_type_id' })
  ticketType?: Relation<TicketType>;

  /** The ticket type's capacity, kept equal to it. */
  @Column()
  capacity!: number;

  @Column({ default: 0 })
  sold!: number;

  @Column({ default: 0 })
  reserved!: number;

  @Column({ default: 0 })
  waiting!: number;
}
