import { ApiProperty } from '@nestjs/swagger';

export class SeatResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: '12' })
  label!: string;

  @ApiProperty()
  ticketTypeId!: number;

  @ApiProperty()
  x!: number;

  @ApiProperty({ description: 'Distance from the stage' })
  y!: number;

  @ApiProperty({
    enum: ['free', 'held', 'sold', 'unavailable'],
    description: 'On the date of the answer: `held` while its booking is pending',
  })
  status!: string;
}

export class SeatRowResponse {
  @ApiProperty({ example: 'A' })
  label!: string;

  @ApiProperty({ type: () => [SeatResponse] })
  seats!: SeatResponse[];
}

export class SeatingSectionResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'Stalls' })
  name!: string;

  @ApiProperty({ type: () => [SeatRowResponse] })
  rows!: SeatRowResponse[];
}

export class SeatingResponse {
  @ApiProperty()
  eventId!: number;

  @ApiProperty({ description: 'The date the seats’ statuses are for' })
  dateId!: number;

  @ApiProperty({ type: () => [SeatingSectionResponse] })
  sections!: SeatingSectionResponse[];
}
