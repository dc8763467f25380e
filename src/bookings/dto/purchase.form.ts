import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NormalizedText, PlainEmail, SingleLine } from '../../common/forms/text.decorators';
import { postedList } from '../../common/forms/posted-list';
import { OrderInput } from '../order-input';
import { IsBestAvailable, postedBestAvailable } from './best-available.form';
import { IsTicketNames, postedTicketNames, TicketNames } from './ticket-names';

/**
 * Every posted `quantities[<ticketTypeId>]` must be a whole number; at least one above zero,
 * unless seats are picked or asked for (seated types' quantities come from their seats).
 */
const IsQuantities = () =>
  ValidateBy({
    name: 'isQuantities',
    validator: {
      validate: (value: unknown, args) => {
        const form = args?.object as PurchaseForm | undefined;
        const seated = Boolean(form?.seats?.length || form?.bestAvailable?.length);
        if (value === undefined && seated) return true;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
        const entries = Object.entries(value as Record<string, unknown>);
        const valid = entries.every(
          ([id, quantity]) =>
            /^[1-9]\d{0,9}$/.test(id) &&
            typeof quantity === 'string' &&
            /^\d{1,3}$/.test(quantity.trim()),
        );
        return valid && (seated || entries.some(([, quantity]) => Number(quantity) > 0));
      },
      defaultMessage: () =>
        'Choose how many tickets you want: at least one, and whole numbers only',
    },
  });

export class PurchaseForm {
  // Decorators apply bottom-up and the form shows each field's FIRST failed constraint, so each
  // field lists its most basic check (is it text at all?) last: a missing or repeated field
  // then says "Enter your name", not "at most 254 characters" or "control characters".
  @IsQuantities()
  quantities?: Record<string, string>;

  /** `seats[]`: seats picked on the map (ids). */
  @IsInt({ each: true, message: 'Pick seats from the map' })
  @Min(1, { each: true, message: 'Pick seats from the map' })
  @ArrayMaxSize(100, { message: 'Pick at most 100 seats' })
  @Transform(({ value }: { value: unknown }) =>
    value === undefined
      ? []
      : postedList(value).map((id) =>
          typeof id === 'string' && /^\d{1,10}$/.test(id) ? Number(id) : id,
        ),
  )
  seats: number[] = [];

  /** `bestAvailable[<ticketTypeId>]=N`: N seats of that type found together (0 or empty: none). */
  @IsBestAvailable()
  @Transform(({ value }: { value: unknown }) => postedBestAvailable(value))
  bestAvailable: { ticketTypeId: number; quantity: number }[] = [];

  /** The names on the tickets, when the event asks for them. */
  @IsTicketNames()
  @Transform(({ value }: { value: unknown }) => postedTicketNames(value))
  @IsOptional()
  ticketNames?: TicketNames;

  @SingleLine()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Enter your name' })
  @NormalizedText()
  attendeeName!: string;

  @PlainEmail('Enter a valid email address, like name@example.com')
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com' })
  @MaxLength(254, { message: 'Email must be at most 254 characters' })
  @IsString({ message: 'Enter your email address' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  attendeeEmail!: string;

  /** The event's date; none: its only upcoming one. */
  @IsOptional()
  @PostedInteger()
  @IsInt({ message: 'Choose one of this event’s dates.' })
  @Min(1, { message: 'Choose one of this event’s dates.' })
  dateId?: number;

  /** A voucher code, as typed; empty: none. */
  @IsOptional()
  @MaxLength(64, { message: 'This code is not valid for this event.' })
  @IsString({ message: 'This code is not valid for this event.' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? undefined : value,
  )
  voucher?: string;

  @Matches(/^[A-Za-z0-9_-]{8,100}$/, { message: 'This form is damaged; please reload the page.' })
  @IsString({ message: 'This form is damaged; please reload the page.' })
  @IsOptional()
  idempotencyKey?: string;

  /** The order; its key (when the form has one) belongs to `keyScope`, the browser that posted it. */
  toOrder(keyScope: string): OrderInput {
    return {
      attendeeName: this.attendeeName,
      attendeeEmail: this.attendeeEmail,
      idempotency: this.idempotencyKey ? { key: this.idempotencyKey, scope: keyScope } : undefined,
      voucherCode: this.voucher,
      dateId: this.dateId,
      seatIds: this.seats,
      bestAvailable: this.bestAvailable,
      // A seated type has no quantity on the form: its names go with its seats.
      seatedNames: Object.fromEntries(
        Object.entries(this.ticketNames ?? {}).filter(
          ([id]) => !(Number(this.quantities?.[id] ?? 0) > 0),
        ),
      ),
      lines: Object.entries(this.quantities ?? {})
        .map(([id, quantity]) => ({
          ticketTypeId: Number(id),
          quantity: Number(quantity),
          attendeeNames: this.ticketNames?.[id],
        }))
        .filter((line) => line.quantity > 0),
    };
  }
}
