import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PostedInteger } from '../../../common/forms/number.decorators';
import { PaginationQuery } from '../../../common/http/pagination.query';

/** `?dateId=` narrows an event's bookings to one of its dates. */
export class ListBookingsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'Only the bookings of this date of the event' })
  @PostedInteger()
  @IsOptional()
  @IsInt({ message: 'dateId must be a date id' })
  @Min(1, { message: 'dateId must be a date id' })
  dateId?: number;
}
