import { Get } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { StatsService } from './stats.service';

@AdminApiController('stats')
export class StatsApiController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  get() {
    return this.stats.platform();
  }
}
