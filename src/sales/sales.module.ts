import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SalesTimelineService } from './sales-timeline.service';
import { StatsApiController } from './stats.api.controller';
import { StatsService } from './stats.service';

/** Sales figures: platform totals (the stats API) and tickets sold over time (the dashboard's charts). */
@Module({
  imports: [AuthModule],
  controllers: [StatsApiController],
  providers: [StatsService, SalesTimelineService],
  exports: [SalesTimelineService],
})
export class SalesModule {}
