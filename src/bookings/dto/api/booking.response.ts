import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../../common/http/api-responses';
import type { BookingStatus } from '../../entities/booking.entity';

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

  @ApiProperty({ enum: ['confirmed', 'cancelled'] })
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
}

export class BookingPage extends PageOf(BookingResponse) {}
