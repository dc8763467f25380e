import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Matches, Min } from 'class-validator';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NoControlCharacters } from '../../common/forms/text.decorators';

/**
 * What a handheld scanner types is the whole link in the ticket's QR code (see ticket-qr.ts):
 * its `reference` parameter is the ticket's code. Anything else is the code or reference as typed.
 */
function scannedReference(typed: string): string {
  const text = typed.trim();
  if (/^https?:\/\//i.test(text) && URL.canParse(text)) {
    return new URL(text).searchParams.get('reference')?.trim() ?? text;
  }
  return text;
}

/** The ticket code or booking reference typed or scanned at the door, read the way they are stored: trimmed, upper case. */
export class CheckInForm {
  // The form shows each field's first failed constraint: the most basic check is listed last.
  @Matches(/^[0-9A-Z]*$/, {
    message: 'A ticket code or booking reference has only letters and digits, like K7M3Q9X2PA',
  })
  @NoControlCharacters()
  @Length(1, 40, { message: 'Enter a ticket code or booking reference (at most 40 characters)' })
  @IsString({ message: 'Enter a ticket code or booking reference' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? scannedReference(value).toUpperCase() : value,
  )
  reference!: string;

  /** The door's date (empty: the event's date nearest now). */
  @PostedInteger({ whenEmpty: 0 })
  @Min(0, { message: 'Choose one of this event’s dates' })
  @IsInt({ message: 'Choose one of this event’s dates' })
  dateId: number = 0;
}
