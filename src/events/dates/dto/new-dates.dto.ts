import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_DATES_PER_RULE, WEEKDAYS, WeekdayCode } from '../date-rule';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class DateRuleDto {
  @ApiProperty({ enum: ['weekly'] })
  @IsIn(['weekly'])
  freq!: 'weekly';

  @ApiProperty({ enum: WEEKDAYS, isArray: true, example: ['FR', 'SA'] })
  @IsIn(WEEKDAYS, { each: true })
  @ArrayMaxSize(7)
  @ArrayMinSize(1)
  @IsArray()
  byWeekday!: WeekdayCode[];

  @ApiProperty({ example: '19:30', description: 'Local time (the server’s TZ), HH:mm' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be HH:mm, like 19:30' })
  time!: string;

  @ApiProperty({ example: '2027-03-05', description: 'The first day, YYYY-MM-DD' })
  @Matches(DAY, { message: 'from must be a day, YYYY-MM-DD' })
  from!: string;

  @ApiPropertyOptional({ example: '2027-06-26', description: 'The last day (inclusive)' })
  @Matches(DAY, { message: 'until must be a day, YYYY-MM-DD' })
  @IsOptional()
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_DATES_PER_RULE })
  @Max(MAX_DATES_PER_RULE)
  @Min(1)
  @IsInt()
  @IsOptional()
  count?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, description: 'Each date’s length' })
  @Max(1440)
  @Min(1)
  @IsInt()
  @IsOptional()
  durationMinutes?: number;
}

/** One date (`startsAt`, `endsAt`) or many from a rule. */
export class NewDatesDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2027-02-13T19:30:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  startsAt?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsOptional()
  endsAt?: string | null;

  @ApiPropertyOptional({ type: DateRuleDto })
  @ValidateNested()
  @Type(() => DateRuleDto)
  @IsOptional()
  rule?: DateRuleDto;
}
