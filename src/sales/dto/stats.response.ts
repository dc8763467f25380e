import { ApiProperty } from '@nestjs/swagger';

export class StatsResponse {
  @ApiProperty({ description: 'All events' })
  events!: number;

  @ApiProperty()
  publishedEvents!: number;

  @ApiProperty({ description: 'The sum of every ticket type’s sold' })
  ticketsSold!: number;

  @ApiProperty({
    description: 'The totals of confirmed bookings less their refunds, integer cents',
  })
  revenueCents!: number;

  @ApiProperty({
    description:
      'Money actually received (paid bookings) less refunds, integer cents; the rest of the revenue is due at the door',
  })
  receivedCents!: number;
}
