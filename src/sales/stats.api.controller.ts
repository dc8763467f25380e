import { Get } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { ApiJson } from '../common/http/api-responses';
import { StatsResponse } from './dto/stats.response';
import { StatsService } from './stats.service';

@AdminApiController('stats')
export class StatsApiController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiJson(200, StatsResponse)
  get(): Promise<StatsResponse> {
    return this.stats.platform();
  }
}
