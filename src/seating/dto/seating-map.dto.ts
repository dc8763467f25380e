import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SingleLine } from '../../common/forms/text.decorators';

const trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** How far a seat may be drawn from the map's top left corner (the stage is along the top). */
export const MAP_EXTENT = 10_000;

export class SeatDto {
  @ApiPropertyOptional({
    description:
      'An existing seat of this map, to keep it (its bookings too) under a new label or place',
  })
  @Min(1)
  @IsInt()
  @IsOptional()
  id?: number;

  @ApiProperty({ minLength: 1, maxLength: 10, example: '12' })
  @SingleLine()
  @Length(1, 10)
  @IsString()
  @trimmed()
  label!: string;

  @ApiProperty({ description: 'The ticket type the seat is sold as (one of this event’s)' })
  @Min(1)
  @IsInt()
  ticketTypeId!: number;

  @ApiProperty({ minimum: 0, maximum: MAP_EXTENT })
  @Max(MAP_EXTENT)
  @Min(0)
  @IsInt()
  x!: number;

  @ApiProperty({ minimum: 0, maximum: MAP_EXTENT, description: 'Distance from the stage' })
  @Max(MAP_EXTENT)
  @Min(0)
  @IsInt()
  y!: number;

  @ApiPropertyOptional({ default: false, description: 'Not sold on any date' })
  @IsBoolean()
  @IsOptional()
  unavailable?: boolean;
}

export class SeatRowDto {
  @ApiProperty({ minLength: 1, maxLength: 10, example: 'A' })
  @SingleLine()
  @Length(1, 10)
  @IsString()
  @trimmed()
  label!: string;

  @ApiProperty({ type: () => [SeatDto], maxItems: 500, description: 'In order along the row' })
  @ValidateNested({ each: true })
  @Type(() => SeatDto)
  @ArrayMaxSize(500)
  @IsArray()
  seats!: SeatDto[];
}

export class SeatingSectionDto {
  @ApiProperty({ minLength: 1, maxLength: 60, example: 'Stalls' })
  @SingleLine()
  @Length(1, 60)
  @IsString()
  @trimmed()
  name!: string;

  @ApiProperty({ type: () => [SeatRowDto], maxItems: 200, description: 'From the stage back' })
  @ValidateNested({ each: true })
  @Type(() => SeatRowDto)
  @ArrayMaxSize(200)
  @IsArray()
  rows!: SeatRowDto[];
}

export class SeatingMapDto {
  @ApiProperty({ type: () => [SeatingSectionDto], maxItems: 50 })
  @ValidateNested({ each: true })
  @Type(() => SeatingSectionDto)
  @ArrayMaxSize(50)
  @IsArray()
  sections!: SeatingSectionDto[];
}
