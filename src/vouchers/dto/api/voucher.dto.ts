import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NoControlCharacters } from '../../../common/forms/text.decorators';
import { PageOf } from '../../../common/http/api-responses';
import { MAX_PRICE_CENTS } from '../../../common/money';
import { PRICE_MODES, PriceMode } from '../../entities/voucher.entity';
import { MAX_VOUCHERS_AT_ONCE } from '../../vouchers.service';

export class CreateVouchersDto {
  @ApiPropertyOptional({
    pattern: '^[A-Za-z0-9-]{4,32}$',
    description: 'Case-insensitive; leave out to generate `count` random codes',
  })
  @IsString()
  @IsOptional()
  code?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_VOUCHERS_AT_ONCE, default: 1 })
  @Max(MAX_VOUCHERS_AT_ONCE)
  @Min(1)
  @IsInt()
  @IsOptional()
  count?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100_000,
    default: 1,
    description: 'Tickets it may be used for',
  })
  @Max(100_000)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxUsages?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  validUntil?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Only this ticket type' })
  @Min(1)
  @IsInt()
  @IsOptional()
  ticketTypeId?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Only this date (a reserving voucher holds its tickets on it)',
  })
  @Min(1)
  @IsInt()
  @IsOptional()
  dateId?: number | null;

  @ApiPropertyOptional({ enum: PRICE_MODES, default: 'none' })
  @IsIn(PRICE_MODES)
  @IsOptional()
  priceMode?: PriceMode;

  @ApiPropertyOptional({ minimum: 0, description: 'Cents for set and subtract, 1–100 for percent' })
  @Max(MAX_PRICE_CENTS)
  @Min(0)
  @IsInt()
  @IsOptional()
  value?: number;

  @ApiPropertyOptional({ default: false })
  @IsBoolean()
  @IsOptional()
  unlocksHidden?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Hold its maxUsages tickets back from the public',
  })
  @IsBoolean()
  @IsOptional()
  reservesCapacity?: boolean;

  @ApiPropertyOptional({ maxLength: 60 })
  @NoControlCharacters()
  @MaxLength(60)
  @IsString()
  @IsOptional()
  tag?: string;
}

export class VoucherResponse {
  @ApiProperty() id!: number;
  @ApiProperty() eventId!: number;
  @ApiProperty() code!: string;
  @ApiProperty() maxUsages!: number;
  @ApiProperty() redeemed!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validUntil!: string | null;
  @ApiProperty({ type: Number, nullable: true }) ticketTypeId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) dateId!: number | null;
  @ApiProperty({ enum: PRICE_MODES }) priceMode!: PriceMode;
  @ApiProperty() value!: number;
  @ApiProperty() unlocksHidden!: boolean;
  @ApiProperty() reservesCapacity!: boolean;
  @ApiProperty() tag!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class VoucherPage extends PageOf(VoucherResponse) {}

export class CreatedVouchers {
  @ApiProperty({ type: [VoucherResponse] })
  data!: VoucherResponse[];
}
