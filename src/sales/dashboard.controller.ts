import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import { mayInCurrentOrganisation } from '../auth/organisations/access';
import { MembershipsService } from '../auth/organisations/memberships.service';
import type { SessionUser } from '../auth/session-user';
import { requestedPage } from '../common/http/pagination';
import { OrganiserDashboardService } from './organiser-dashboard.service';

@Controller()
@UseGuards(LoggedInGuard)
export class DashboardController {
  constructor(
    private readonly dashboards: OrganiserDashboardService,
    private readonly memberships: MembershipsService,
  ) {}

  /** Managers see sales and money; a door volunteer, the events to check in and nothing else. */
  @Get('organiser')
  async dashboard(
    @CurrentUser() user: SessionUser,
    @Res() res: Response,
    @Query('page') page?: unknown,
  ) {
    const organisations = await this.memberships.of(user);
    const common = { organisation: user.organisation, organisations };
    if (!mayInCurrentOrganisation(user, 'manage'))
      return res.render('sales/door-dashboard', {
        title: 'Your events',
        ...common,
        ...(await this.dashboards.forDoor(user, requestedPage(page))),
      });
    return res.render('sales/dashboard', {
      title: 'Your events',
      ...common,
      ...(await this.dashboards.forUser(user, requestedPage(page))),
    });
  }
}
