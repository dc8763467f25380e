import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { NoControlCharacters } from '../../common/forms/text.decorators';

/** The reference typed or scanned at the door, read the way references are stored: trimmed, upper case. */
export class CheckInForm {
  // The form shows each field's first failed constraint: the most basic check is listed last.
  @Matches(/^[0-9A-Z]*$/, {
    message: 'A booking reference has only letters and digits, like K7M3Q9X2PA',
  })
  @NoControlCharacters()
  @Length(1, 40, { message: 'Enter a booking reference (at most 40 characters)' })
  @IsString({ message: 'Enter a booking reference' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  reference!: string;
}
