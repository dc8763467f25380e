import { PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NoControlCharacters } from '../../../common/forms/text.decorators';
import { PaginationQuery } from '../../../common/http/pagination.query';
import { MAX_PRICE_CENTS } from '../../../common/money';
import type { EventStatus } from '../../entities/event.entity';

export class TicketTypeDto {
  /** An existing ticket type, when updating. */
  @IsOptional()
  @IsInt()
  @Min(1)
  id?: number;

  @NoControlCharacters()
  @Length(1, 60)
  @IsString()
  name!: string;

  @Max(MAX_PRICE_CENTS)
  @Min(0)
  @IsInt()
  priceCents!: number;

  @Max(100_000)
  @Min(1)
  @IsInt()
  capacity!: number;
}

export class CreateEventDto {
  @NoControlCharacters()
  @Length(1, 200)
  @IsString()
  title!: string;

  @NoControlCharacters()
  @MaxLength(5000)
  @IsString()
  @IsOptional()
  description?: string;

  @NoControlCharacters()
  @MaxLength(200)
  @IsString()
  @IsOptional()
  venue?: string;

  // No defaults here: PartialType would copy them into UpdateEventDto, and a PATCH would reset those fields.

  /** ISO-8601 with a time zone, e.g. 2027-02-12T19:30:00Z */
  @IsISO8601({ strict: true, strictSeparator: true })
  startsAt!: string;

  @Max(100)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxTicketsPerType?: number;

  @ValidateNested({ each: true })
  @Type(() => TicketTypeDto)
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  ticketTypes!: TicketTypeDto[];
}

export class UpdateEventDto extends PartialType(CreateEventDto) {}

export class ListEventsQuery extends PaginationQuery {
  @IsOptional()
  @IsIn(['draft', 'published'])
  status?: EventStatus;
}
