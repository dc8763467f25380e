import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { isKnownCurrency } from '../../common/money';
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

  /** A ticked checkbox posts "on". */
  @IsIn(['on'], { message: 'Tick the box, or leave it empty' })
  @IsOptional()
  organiserApproval?: string;

  /** The settings as posted (a field left out, the currency say, keeps its value). */
  toSettings(): Partial<SiteSettingsView> {
    return {
      name: this.name,
      description: this.description ?? '',
      currency: this.currency,
      organiserApproval: this.organiserApproval === 'on',
    };
  }
}

/** `PUT /api/v1/settings`: the settings named change, the others keep their value. */
export class SettingsChangesDto extends PartialType(
  OmitType(SettingsForm, ['organiserApproval', 'toSettings'] as const),
) {
  @ApiPropertyOptional({
    description: "New organisers' events go public only once an admin has approved the account",
  })
  @IsBoolean()
  @IsOptional()
  organiserApproval?: boolean;
}
