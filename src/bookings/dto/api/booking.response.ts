import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../../common/http/api-responses';
import type { BookingStatus } from '../../entities/booking.entity';
import { PAYMENT_METHODS, PaymentMethod } from '../../../payments/payment-method';

export class BookingItemResponse {
  @ApiProperty()
  ticketTypeId!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  quantity!: number;

  @ApiProperty({ description: 'Integer cents' })
  unitPriceCents!: number;
}

export class TicketResponse {
  @ApiProperty({ description: 'The ticket’s own code (its QR code carries it)' })
  code!: string;

  @ApiProperty()
  ticketTypeId!: number;

  @ApiProperty({ type: String, nullable: true })
  attendeeName!: string | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: {
      section: { type: 'string' },
      row: { type: 'string' },
      seat: { type: 'string' },
    },
    required: ['section', 'row', 'seat'],
    description: 'The seat, on a seated ticket type; null otherwise',
  })
  seat!: { section: string; row: string; seat: string } | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checkedInAt!: string | null;
}

/** A booking as the API shows it (PRODUCT.md "Booking JSON"); never its secret. */
export class BookingResponse {
  @ApiProperty({ example: 'K7M3Q9X2PA' })
  reference!: string;

  @ApiProperty()
  eventId!: number;

  @ApiProperty()
  attendeeName!: string;

  @ApiProperty()
  attendeeEmail!: string;

  @ApiProperty({ enum: ['pending', 'confirmed', 'cancelled', 'expired'] })
  status!: BookingStatus;

  @ApiProperty({ description: 'The sum of quantity × unit price, integer cents' })
  totalCents!: number;

  @ApiProperty({ type: [BookingItemResponse] })
  items!: BookingItemResponse[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checkedInAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a pending booking’s hold lapses',
  })
  expiresAt!: string | null;

  @ApiProperty({
    type: String,
    enum: PAYMENT_METHODS,
    nullable: true,
    description: 'Null while the buyer of a pending booking has not chosen yet',
  })
  paymentMethod!: PaymentMethod | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the money arrived; null while it is due or for a free booking',
  })
  paidAt!: string | null;

  @ApiProperty({ description: 'Integer cents refunded so far' })
  refundedCents!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The voucher code used, if any' })
  voucherCode!: string | null;

  @ApiProperty({ description: 'The date of the event booked' })
  dateId!: number;

  @ApiProperty({ format: 'date-time' })
  dateStartsAt!: string;

  @ApiProperty({ type: () => [TicketResponse], description: 'One per unit bought' })
  tickets!: TicketResponse[];
}

export class BookingPage extends PageOf(BookingResponse) {}
