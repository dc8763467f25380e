import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { PostedInteger } from '../forms/number.decorators';

const LIMIT = 'limit must be a whole number from 1 to 100';
const OFFSET = 'offset must be a whole number from 0 to 1000000000';

/** `?limit=&offset=` for every API list: plain decimal integers, limit 1–100 (default 20), offset 0–1,000,000,000. */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @PostedInteger()
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(100, { message: LIMIT })
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000_000, default: 0 })
  @PostedInteger()
  @IsInt({ message: OFFSET })
  @Min(0, { message: OFFSET })
  @Max(1_000_000_000, { message: OFFSET })
  offset: number = 0;
}
