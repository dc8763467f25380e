import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PostedInteger } from '../../common/forms/number.decorators';

/** `?dateId=`: the date whose seat statuses to show (none: the event's next date). */
export class SeatingQuery {
  @ApiPropertyOptional({ description: 'One of the event’s dates (default: its next one)' })
  @PostedInteger()
  @IsOptional()
  @IsInt({ message: 'dateId must be a date id' })
  @Min(1, { message: 'dateId must be a date id' })
  dateId?: number;
}
