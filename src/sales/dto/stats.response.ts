import { ApiProperty } from '@nestjs/swagger';

export class StatsResponse {
  @ApiProperty({ description: 'All events' })
  events!: number;

  @ApiProperty()
  publishedEvents!: number;

  @ApiProperty({ description: 'The sum of every ticket type’s sold' })
  ticketsSold!: number;

  @ApiProperty({ description: 'The total of confirmed bookings, integer cents' })
  revenueCents!: number;
}
