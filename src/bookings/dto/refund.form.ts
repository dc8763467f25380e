import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsPrice } from '../../common/forms/price.decorator';
import { MAX_PRICE_CENTS, parsePriceToCents } from '../../common/money';

/** The refund page's form: an amount such as "12.50", or nothing for everything not yet refunded. */
export class RefundForm {
  @IsPrice('Enter an amount such as 12.50, or leave it empty to refund everything')
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? undefined : value,
  )
  @IsOptional()
  amount?: string;

  amountCents(): number | undefined {
    return this.amount === undefined ? undefined : parsePriceToCents(this.amount.trim());
  }
}

/** `POST /api/v1/bookings/:reference/refunds`. */
export class CreateRefundDto {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'Integer cents; left out: everything paid and not yet refunded',
  })
  @Max(MAX_PRICE_CENTS * 100)
  @Min(1)
  @IsInt()
  @IsOptional()
  amountCents?: number;
}
