import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../../common/http/api-responses';

export class TicketTypeResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'Integer cents' })
  priceCents!: number;

  @ApiProperty()
  capacity!: number;

  @ApiProperty({ description: 'Tickets sold (and held)' })
  sold!: number;

  @ApiProperty({ description: 'Tickets the public can still buy' })
  remaining!: number;

  @ApiProperty({ description: 'Tickets held back for vouchers that reserve them' })
  reserved!: number;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  saleStartsAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  saleEndsAt!: string | null;

  @ApiProperty()
  minPerOrder!: number;

  @ApiProperty()
  maxPerOrder!: number;

  @ApiProperty({ description: 'Shown and sold only with a voucher that unlocks it' })
  hidden!: boolean;
}

export class DateTicketTypeResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ description: 'Tickets of this type for this date' })
  capacity!: number;

  @ApiProperty()
  sold!: number;

  @ApiProperty({ description: 'Tickets the public can still buy for this date' })
  remaining!: number;
}

export class EventDateResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endsAt!: string | null;

  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  status!: 'scheduled' | 'cancelled';

  @ApiProperty({ type: [DateTicketTypeResponse] })
  ticketTypes!: DateTicketTypeResponse[];
}

/** An event as the API shows it (PRODUCT.md "Event JSON"). */
export class EventResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  venue!: string;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endsAt!: string | null;

  @ApiProperty({ enum: ['draft', 'published'] })
  status!: 'draft' | 'published';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiProperty()
  organiserId!: number;

  @ApiProperty({ description: 'Tickets of one type a booking may hold' })
  maxTicketsPerType!: number;

  @ApiProperty({ description: 'Minutes a buyer’s tickets are held while they pay' })
  holdMinutes!: number;

  @ApiProperty({ description: 'Hours a waiting-list offer holds its tickets' })
  waitingListHours!: number;

  @ApiProperty({ description: 'Whether each ticket needs its holder’s name' })
  namePerTicket!: boolean;

  @ApiProperty({ description: 'Whether buying goes through the fair on-sale queue' })
  queueEnabled!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the queue starts admitting',
  })
  onSaleAt!: string | null;

  @ApiProperty({ description: 'Visitors the queue admits a minute' })
  admissionPerMinute!: number;

  @ApiProperty({ description: 'Minutes an admitted visitor may buy' })
  admissionMinutes!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: [TicketTypeResponse] })
  ticketTypes!: TicketTypeResponse[];

  @ApiProperty({ type: [EventDateResponse] })
  dates!: EventDateResponse[];
}

export class EventPage extends PageOf(EventResponse) {}
