import { Controller, Get, Query, Render, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { requestedPage } from '../common/http/pagination';
import { OrganiserDashboardService } from './organiser-dashboard.service';

@Controller()
@UseGuards(LoggedInGuard)
export class DashboardController {
  constructor(private readonly dashboards: OrganiserDashboardService) {}

  @Get('organiser')
  @Render('sales/dashboard')
  async dashboard(@CurrentUser() user: SessionUser, @Query('page') page?: unknown) {
    return { title: 'Your events', ...(await this.dashboards.forUser(user, requestedPage(page))) };
  }
}
