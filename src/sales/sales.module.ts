import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { SeatingModule } from '../seating/seating.module';
import { DashboardController } from './dashboard.controller';
import { EventSalesController } from './event-sales.controller';
import { OrganiserDashboardService } from './organiser-dashboard.service';
import { SalesTimelineService } from './sales-timeline.service';
import { StatsApiController } from './stats.api.controller';
import { StatsService } from './stats.service';

/** Sales at a glance: the organiser dashboard with its charts, and the platform totals (the stats API). */
@Module({
  imports: [AuthModule, EventsModule, SeatingModule],
  controllers: [DashboardController, EventSalesController, StatsApiController],
  providers: [StatsService, SalesTimelineService, OrganiserDashboardService],
})
export class SalesModule {}
