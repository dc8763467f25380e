import { Get } from '@nestjs/common';
import { ApiJson } from '../common/http/api-schemas';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { StatsService } from './stats.service';

@AdminApiController('stats')
export class StatsApiController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiJson(200, 'Stats')
  get() {
    return this.stats.platform();
  }
}
