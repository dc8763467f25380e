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
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { EventDate } from './event-date.entity';
import { TicketType } from './ticket-type.entity';

export type EventStatus = 'draft' | 'published';

@Entity('events')
@Index(['status', 'startsAt'])
export class Event {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'organiser_id' })
  organiserId!: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organiser_id' })
  organiser?: Relation<User>;

  /** Whose event it is: its members manage it by their role (the organiser above made it). */
  @Column({ name: 'organisation_id' })
  organisationId!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  venue!: string;

  @Column({ name: 'starts_at' })
  startsAt!: Date;

  /** When it ends, if the organiser says (calendars assume two hours otherwise). */
  @Column({ name: 'ends_at', type: Date, nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: EventStatus;

  @Column({ name: 'published_at', type: Date, nullable: true })
  publishedAt!: Date | null;

  /** Most tickets of one type a single booking may take. */
  @Column({ name: 'max_tickets_per_type', default: 10 })
  maxTicketsPerType!: number;

  /** How long a buyer's tickets are held while they pay (1–120 minutes). */
  @Column({ name: 'hold_minutes', default: 15 })
  holdMinutes!: number;

  /** How long a waiting-list offer stays open (1–720 hours). */
  @Column({ name: 'waiting_list_hours', default: 24 })
  waitingListHours!: number;

  /** Whether the buy form asks for a name on each ticket (required then, one per ticket). */
  @Column({ name: 'name_per_ticket', default: false })
  namePerTicket!: boolean;

  /** Whether buying goes through the fair on-sale queue (PRODUCT.md "Fair on-sale queue"). */
  @Column({ name: 'queue_enabled', default: false })
  queueEnabled!: boolean;

  /** When the queue starts admitting (its early arrivals' places are drawn then). */
  @Column({ name: 'on_sale_at', type: Date, nullable: true })
  onSaleAt!: Date | null;

  /** Visitors the queue admits a minute, across every process (1–100,000). */
  @Column({ name: 'admission_per_minute', default: 300 })
  admissionPerMinute!: number;

  /** How long an admitted visitor may buy (1–60 minutes). */
  @Column({ name: 'admission_minutes', default: 10 })
  admissionMinutes!: number;

  /** Admission paused by an organiser: places are kept, nobody new is let in. */
  @Column({ name: 'queue_paused', default: false })
  queuePaused!: boolean;

  @OneToMany(() => TicketType, (ticketType) => ticketType.event)
  ticketTypes?: TicketType[];

  @OneToMany(() => EventDate, (date) => date.event)
  dates?: EventDate[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
