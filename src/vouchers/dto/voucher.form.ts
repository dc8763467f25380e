import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PostedDateTime } from '../../common/forms/date-time.decorators';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { PostedInteger } from '../../common/forms/number.decorators';
import {
  NoControlCharacters,
  NormalizedText,
  SingleLine,
} from '../../common/forms/text.decorators';
import { parsePriceToCents } from '../../common/money';
import { PRICE_MODES, PriceMode } from '../entities/voucher.entity';
import type { VoucherInput } from '../voucher-input';
import { MAX_VOUCHERS_AT_ONCE } from '../vouchers.service';

const checkbox = () =>
  Transform(({ value }: { value: unknown }) => value !== undefined && value !== '');

/** The organiser's "create vouchers" form. */
export class VoucherForm {
  /** Empty: generate `count` codes. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? undefined : value,
  )
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9-]{4,32}\s*$/, { message: 'A code is 4 to 32 letters, digits or dashes' })
  @IsString({ message: 'A code is 4 to 32 letters, digits or dashes' })
  code?: string;

  @IsOptional()
  @PostedInteger({ whenEmpty: 1 })
  @IsInt({ message: `How many: a whole number from 1 to ${MAX_VOUCHERS_AT_ONCE}` })
  @Min(1, { message: `How many: a whole number from 1 to ${MAX_VOUCHERS_AT_ONCE}` })
  @Max(MAX_VOUCHERS_AT_ONCE, {
    message: `How many: a whole number from 1 to ${MAX_VOUCHERS_AT_ONCE}`,
  })
  count: number = 1;

  @IsOptional()
  @PostedInteger({ whenEmpty: 1 })
  @IsInt({ message: 'Tickets per code: a whole number from 1 to 100000' })
  @Min(1, { message: 'Tickets per code: a whole number from 1 to 100000' })
  @Max(100_000, { message: 'Tickets per code: a whole number from 1 to 100000' })
  maxUsages: number = 1;

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  validUntil: Date | null = null;

  /** Empty: every ticket type of the event. */
  @PostedInteger({ whenEmpty: 0 })
  @IsOptional()
  @IsInt({ message: 'Choose one of this event’s ticket types' })
  @Min(0, { message: 'Choose one of this event’s ticket types' })
  ticketTypeId: number = 0;

  /** Empty: every date of the event. */
  @PostedInteger({ whenEmpty: 0 })
  @IsOptional()
  @IsInt({ message: 'Choose one of this event’s dates' })
  @Min(0, { message: 'Choose one of this event’s dates' })
  dateId: number = 0;

  @IsIn(PRICE_MODES, { message: 'Choose how the code changes the price' })
  @IsOptional()
  priceMode: PriceMode = 'none';

  /** A price ("5.00") for set and subtract, a whole percentage ("20") for percent. */
  @NormalizedText()
  @IsOptional()
  @MaxLength(20, { message: 'Enter an amount like 5.00, or a percentage like 20' })
  @IsString({ message: 'Enter an amount like 5.00, or a percentage like 20' })
  value: string = '';

  @checkbox()
  @IsBoolean()
  unlocksHidden: boolean = false;

  @checkbox()
  @IsBoolean()
  reservesCapacity: boolean = false;

  @SingleLine()
  @IsOptional()
  @NoControlCharacters()
  @MaxLength(60, { message: 'Tag must be at most 60 characters' })
  @IsString({ message: 'Tag must be text' })
  @NormalizedText()
  tag: string = '';

  toInput(): VoucherInput {
    return {
      code: this.code?.trim(),
      count: this.count,
      maxUsages: this.maxUsages,
      validUntil: this.validUntil,
      ticketTypeId: this.ticketTypeId || null,
      dateId: this.dateId || null,
      priceMode: this.priceMode,
      value: this.valueFor(this.priceMode),
      unlocksHidden: this.unlocksHidden,
      reservesCapacity: this.reservesCapacity,
      tag: this.tag,
    };
  }

  private valueFor(mode: PriceMode): number {
    if (mode === 'none') return 0;
    if (mode === 'percent') {
      if (!/^\d{1,3}$/.test(this.value))
        throw new InvalidFieldError('value', 'A percentage is a whole number from 1 to 100.');
      return Number(this.value);
    }
    const cents = parsePriceToCents(this.value);
    if (cents === undefined)
      throw new InvalidFieldError('value', 'Enter an amount from 0.00 to 100000.00, like 5.00.');
    return cents;
  }
}
