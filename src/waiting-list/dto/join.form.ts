import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NormalizedText, PlainEmail, SingleLine } from '../../common/forms/text.decorators';
import type { JoinRequest } from '../waiting-list.service';

/** The "join the waiting list" form of an event. */
export class JoinWaitingListForm {
  @PostedInteger()
  @IsInt({ message: 'Choose a ticket type' })
  @Min(1, { message: 'Choose a ticket type' })
  ticketTypeId!: number;

  @PostedInteger()
  @IsInt({ message: 'How many tickets: a whole number from 1 to 100' })
  @Min(1, { message: 'How many tickets: a whole number from 1 to 100' })
  @Max(100, { message: 'How many tickets: a whole number from 1 to 100' })
  quantity!: number;

  @SingleLine()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Enter your name' })
  @NormalizedText()
  name!: string;

  @PlainEmail('Enter a valid email address, like name@example.com')
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com' })
  @MaxLength(254, { message: 'Email must be at most 254 characters' })
  @IsString({ message: 'Enter your email address' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  email!: string;

  /** Empty: the event's only upcoming date. */
  @PostedInteger({ whenEmpty: 0 })
  @IsInt({ message: 'Choose one of this event’s dates' })
  @Min(0, { message: 'Choose one of this event’s dates' })
  dateId: number = 0;

  toRequest(): JoinRequest {
    return {
      dateId: this.dateId || undefined,
      ticketTypeId: this.ticketTypeId,
      quantity: this.quantity,
      name: this.name,
      email: this.email,
    };
  }
}
