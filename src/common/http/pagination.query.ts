import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?limit=&offset=` for every API list: limit 1–100 (default 20). */
export class PaginationQuery {
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit: number = 20;

  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number, 0 or more' })
  @Min(0, { message: 'offset must be a whole number, 0 or more' })
  offset: number = 0;
}

export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
