import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsInt,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NoControlCharacters } from '../../../common/forms/text.decorators';
import { OrderInput } from '../../order-input';

export class BookingItemDto {
  @Min(1)
  @IsInt()
  ticketTypeId!: number;

  /** The per-event limit (default 10) is checked by the booking service. */
  @Max(100)
  @Min(1)
  @IsInt()
  quantity!: number;
}

export class CreateBookingDto {
  @NoControlCharacters()
  @Length(1, 100)
  @IsString()
  attendeeName!: string;

  @MaxLength(254)
  @IsEmail()
  @IsString()
  attendeeEmail!: string;

  @ValidateNested({ each: true })
  @Type(() => BookingItemDto)
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  items!: BookingItemDto[];

  toOrder(idempotencyKey?: string): OrderInput {
    return {
      attendeeName: this.attendeeName.trim(),
      attendeeEmail: this.attendeeEmail.trim(),
      lines: this.items.map((item) => ({
        ticketTypeId: item.ticketTypeId,
        quantity: item.quantity,
      })),
      idempotencyKey,
    };
  }
}
