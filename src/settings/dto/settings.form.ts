import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsInt,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { isKnownCurrency } from '../../common/money';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';
import type { SiteSettingsView } from '../settings.service';

/** An ISO 4217 code this server can show, like EUR or GBP. */
const IsCurrency = () =>
  ValidateBy({
    name: 'isCurrency',
    validator: {
      validate: isKnownCurrency,
      defaultMessage: () => 'Enter a currency code such as EUR, GBP or USD',
    },
  });

/** The settings page's form: every field is posted (an unticked checkbox is simply absent). */
export class SettingsForm {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  // Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.
  @NoControlCharacters()
  @Length(1, 100, { message: 'Site name must be 1 to 100 characters' })
  @IsString({ message: 'Enter the site name' })
  @NormalizedText()
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @NoControlCharacters()
  @MaxLength(1000, { message: 'Description must be at most 1000 characters' })
  @IsString({ message: 'Description must be text' })
  @NormalizedText()
  @IsOptional()
  description?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217: every price is shown in it' })
  @IsCurrency()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsOptional()
  currency?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Told to a buyer who pays by bank transfer (account, IBAN, what to quote); empty: transfers are not offered',
  })
  @NoControlCharacters()
  @MaxLength(2000, { message: 'The instructions must be at most 2000 characters' })
  @IsString({ message: 'The instructions must be text' })
  @NormalizedText()
  @IsOptional()
  bankTransferInstructions?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 30, default: 3 })
  @Max(30, { message: 'Must be a whole number of days from 1 to 30' })
  @Min(1, { message: 'Must be a whole number of days from 1 to 30' })
  @IsInt({ message: 'Must be a whole number of days from 1 to 30' })
  @PostedInteger()
  @IsOptional()
  bankTransferDays?: number;

  /** "on" or "off" (the page's two radio buttons; a script may post "on" as for a checkbox); absent: unchanged. */
  @IsIn(['on', 'off'], { message: 'Choose whether buyers may pay at the door' })
  @IsOptional()
  onSitePayment?: string;

  /** A ticked checkbox posts "on". */
  @IsIn(['on'], { message: 'Tick the box, or leave it empty' })
  @IsOptional()
  organiserApproval?: string;

  @IsIn(['on'], { message: 'Tick the box, or leave it empty' })
  @IsOptional()
  requireTwoFactorForAdmins?: string;

  /** The settings as posted (a field left out, the currency say, keeps its value). */
  toSettings(): Partial<SiteSettingsView> {
    return {
      name: this.name,
      description: this.description ?? '',
      currency: this.currency,
      bankTransferInstructions: this.bankTransferInstructions,
      bankTransferDays: this.bankTransferDays,
      onSitePayment: this.onSitePayment === undefined ? undefined : this.onSitePayment === 'on',
      organiserApproval: this.organiserApproval === 'on',
      requireTwoFactorForAdmins: this.requireTwoFactorForAdmins === 'on',
    };
  }
}

/** `PUT /api/v1/settings`: the settings named change, the others keep their value. */
export class SettingsChangesDto extends PartialType(
  OmitType(SettingsForm, [
    'bankTransferDays',
    'onSitePayment',
    'organiserApproval',
    'requireTwoFactorForAdmins',
    'toSettings',
  ] as const),
) {
  @ApiPropertyOptional({ minimum: 1, maximum: 30, default: 3 })
  @Max(30)
  @Min(1)
  @IsInt()
  @IsOptional()
  bankTransferDays?: number;

  @ApiPropertyOptional({ description: 'Paying at the door is offered' })
  @IsBoolean()
  @IsOptional()
  onSitePayment?: boolean;

  @ApiPropertyOptional({
    description: "New organisers' events go public only once an admin has approved the account",
  })
  @IsBoolean()
  @IsOptional()
  organiserApproval?: boolean;

  @ApiPropertyOptional({
    description: 'Administrators must use two-factor sign-in (one without it is sent to set it up)',
  })
  @IsBoolean()
  @IsOptional()
  requireTwoFactorForAdmins?: boolean;
}
