import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
  @ApiPropertyOptional({ description: 'An existing ticket type, when updating' })
  @IsOptional()
  @IsInt()
  @Min(1)
  id?: number;

  @ApiProperty({ minLength: 1, maxLength: 60 })
  @NoControlCharacters()
  @Length(1, 60)
  @IsString()
  name!: string;

  @ApiProperty({ minimum: 0, description: 'Integer cents' })
  @Max(MAX_PRICE_CENTS)
  @Min(0)
  @IsInt()
  priceCents!: number;

  @ApiProperty({ minimum: 1, maximum: 100_000 })
  @Max(100_000)
  @Min(1)
  @IsInt()
  capacity!: number;

  @ApiPropertyOptional({ maxLength: 500, default: '' })
  @NoControlCharacters()
  @MaxLength(500)
  @IsString()
  @IsOptional()
  description?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Sales of this type open then (null: at once)',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  saleStartsAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Sales of this type close then (null: when the event starts)',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  saleEndsAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 1 })
  @Max(100)
  @Min(1)
  @IsInt()
  @IsOptional()
  minPerOrder?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @Max(100)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxPerOrder?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Shown and sold only with a voucher that unlocks it',
  })
  @IsBoolean()
  @IsOptional()
  hidden?: boolean;
}

export class CreateEventDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @NoControlCharacters()
  @Length(1, 200)
  @IsString()
  title!: string;

  @ApiPropertyOptional({ maxLength: 5000, default: '' })
  @NoControlCharacters()
  @MaxLength(5000)
  @IsString()
  @IsOptional()
  description?: string;

  @ApiPropertyOptional({ maxLength: 200, default: '' })
  @NoControlCharacters()
  @MaxLength(200)
  @IsString()
  @IsOptional()
  venue?: string;

  // No defaults here: PartialType would copy them into UpdateEventDto, and a PATCH would reset those fields.

  @ApiProperty({ format: 'date-time', example: '2027-02-12T19:30:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  startsAt!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it ends (null: not said; calendars assume two hours)',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  endsAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @Max(100)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxTicketsPerType?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 120,
    default: 15,
    description: 'Minutes a buyer’s tickets are held while they pay',
  })
  @Max(120)
  @Min(1)
  @IsInt()
  @IsOptional()
  holdMinutes?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    default: 24,
    description: 'Hours a waiting-list offer holds its tickets',
  })
  @Max(720)
  @Min(1)
  @IsInt()
  @IsOptional()
  waitingListHours?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Whether each ticket needs its holder’s name (items[].attendeeNames in a booking)',
  })
  @IsBoolean()
  @IsOptional()
  namePerTicket?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Buying goes through the fair on-sale queue (onSaleAt required then)',
  })
  @IsBoolean()
  @IsOptional()
  queueEnabled?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the queue starts admitting; who joined before gets a random place then',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  onSaleAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000, default: 300 })
  @Max(100000)
  @Min(1)
  @IsInt()
  @IsOptional()
  admissionPerMinute?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 10 })
  @Max(60)
  @Min(1)
  @IsInt()
  @IsOptional()
  admissionMinutes?: number;

  @ApiProperty({ type: () => [TicketTypeDto], minItems: 1, maxItems: 20 })
  @ValidateNested({ each: true })
  @Type(() => TicketTypeDto)
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  ticketTypes!: TicketTypeDto[];
}

export class UpdateEventDto extends PartialType(CreateEventDto) {
  @ApiPropertyOptional({ description: 'Pause (true) or resume (false) admission from the queue' })
  @IsBoolean()
  @IsOptional()
  paused?: boolean;
}

export class ListEventsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ['draft', 'published'] })
  @IsOptional()
  @IsIn(['draft', 'published'])
  status?: EventStatus;
}
