import { ApiProperty } from '@nestjs/swagger';
import type { Refund } from '../../entities/refund.entity';

/** A refund as the API shows it (PRODUCT.md "Refunds"). */
export class RefundResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'K7M3Q9X2PA' })
  bookingReference!: string;

  @ApiProperty({ description: 'Integer cents' })
  amountCents!: number;

  @ApiProperty({ enum: ['pending', 'succeeded'] })
  status!: Refund['status'];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export const refundJson = (refund: Refund, bookingReference: string): RefundResponse => ({
  id: refund.id,
  bookingReference,
  amountCents: refund.amountCents,
  status: refund.status,
  createdAt: refund.createdAt.toISOString(),
});
