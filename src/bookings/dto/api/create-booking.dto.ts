import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PlainEmail, SingleLine } from '../../../common/forms/text.decorators';
import { OrderInput } from '../../order-input';

export class BookingItemDto {
  @ApiProperty()
  @Min(1)
  @IsInt()
  ticketTypeId!: number;

  /** The per-event limit (default 10) is checked by the booking service. */
  @ApiProperty({
    minimum: 1,
    description: 'At most the event’s limit per ticket type (default 10)',
  })
  @Max(100)
  @Min(1)
  @IsInt()
  quantity!: number;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    description:
      'The names on this item’s tickets, one per ticket in order (required when the event’s namePerTicket is true)',
  })
  @SingleLine({ each: true })
  @Length(1, 100, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(100)
  @IsArray()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((name: unknown) => (typeof name === 'string' ? name.trim() : name))
      : value,
  )
  attendeeNames?: string[];
}

export class BestAvailableDto {
  @ApiProperty({ description: 'A ticket type of this event sold by seat' })
  @Min(1)
  @IsInt()
  ticketTypeId!: number;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @Max(100)
  @Min(1)
  @IsInt()
  quantity!: number;
}

export class CreateBookingDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @SingleLine()
  @Length(1, 100)
  @IsString()
  attendeeName!: string;

  @ApiProperty({ format: 'email', maxLength: 254 })
  @PlainEmail('attendeeEmail must be a plain address, local@domain')
  @MaxLength(254)
  @IsEmail()
  @IsString()
  attendeeEmail!: string;

  @ApiPropertyOptional({
    type: () => [BookingItemDto],
    maxItems: 20,
    description:
      'What to book; a seated type’s quantity comes from its seats (seatIds, bestAvailable), so its item may be left out or must agree',
  })
  @ValidateNested({ each: true })
  @Type(() => BookingItemDto)
  @ArrayMaxSize(20)
  @IsArray()
  @IsOptional()
  items?: BookingItemDto[];

  @ApiPropertyOptional({
    type: [Number],
    maxItems: 100,
    description: 'Seats of the event’s map (GET /api/v1/events/{id}/seating), each taken or none',
  })
  @Min(1, { each: true })
  @IsInt({ each: true })
  @ArrayMaxSize(100)
  @IsArray()
  @IsOptional()
  seatIds?: number[];

  @ApiPropertyOptional({
    type: () => BestAvailableDto,
    description:
      'Seats found for you: quantity free seats of the ticket type side by side in one row (409 when none)',
  })
  @ValidateNested()
  @Type(() => BestAvailableDto)
  @IsOptional()
  bestAvailable?: BestAvailableDto;

  @ApiPropertyOptional({
    enum: ['manual', 'bank_transfer'],
    default: 'manual',
    description:
      '`manual`: the money was taken at the box office, confirmed at once; `bank_transfer`: held until the transfer is marked paid',
  })
  @IsIn(['manual', 'bank_transfer'])
  @IsOptional()
  paymentMethod?: 'manual' | 'bank_transfer';

  @ApiPropertyOptional({
    description: 'One of the event’s dates; required when it has more than one upcoming',
  })
  @Min(1)
  @IsInt()
  @IsOptional()
  dateId?: number;

  @ApiPropertyOptional({
    maxLength: 32,
    description: 'A voucher code of this event (case-insensitive)',
  })
  @MaxLength(64)
  @IsString()
  @IsOptional()
  voucherCode?: string;

  /** The order; an Idempotency-Key belongs to `keyScope`, the token that sent it. */
  toOrder(idempotencyKey: string | undefined, keyScope: string): OrderInput {
    return {
      attendeeName: this.attendeeName.trim(),
      attendeeEmail: this.attendeeEmail.trim(),
      lines: (this.items ?? []).map((item) => ({
        ticketTypeId: item.ticketTypeId,
        quantity: item.quantity,
        attendeeNames: item.attendeeNames,
      })),
      idempotency: idempotencyKey ? { key: idempotencyKey, scope: keyScope } : undefined,
      voucherCode: this.voucherCode,
      dateId: this.dateId,
      seatIds: this.seatIds,
      bestAvailable: this.bestAvailable && [this.bestAvailable],
    };
  }
}
