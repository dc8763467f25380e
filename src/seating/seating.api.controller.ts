import { Body, Get, Put, Query } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson, ApiProblem } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { SeatingMapDto } from './dto/seating-map.dto';
import { SeatingQuery } from './dto/seating.query';
import { SeatingResponse } from './dto/seating.response';
import { SeatingService } from './seating.service';

/** An event's seat map over the API: read with each seat's status on a date, or replaced whole. */
@AdminApiController('events', 'seating')
export class SeatingApiController {
  constructor(private readonly seating: SeatingService) {}

  @Get(':id/seating')
  @ApiJson(200, SeatingResponse)
  map(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query() query: SeatingQuery,
  ): Promise<SeatingResponse> {
    return this.seating.mapFor(user, id, query.dateId);
  }

  @Put(':id/seating')
  @ApiJson(200, SeatingResponse)
  @ApiProblem(409, 'A seat with a booking would go, change type or become unavailable')
  async replace(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Body() body: SeatingMapDto,
  ): Promise<SeatingResponse> {
    await this.seating.replace(user, id, body);
    return this.seating.mapFor(user, id);
  }
}
