import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { Roles } from '../auth/guards/roles.decorator';
import { RolesGuard } from '../auth/guards/roles.guard';
import type { SessionUser } from '../auth/session-user';
import { UsersService } from '../auth/users.service';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { OrganisersService } from './organisers.service';

@Controller('users')
@UseGuards(RolesGuard)
@Roles('admin')
export class OrganisersController {
  constructor(
    private readonly organisers: OrganisersService,
    private readonly users: UsersService,
  ) {}

  @Get('list-users')
  @Render('organisers/list')
  async list() {
    return { title: 'Users', users: await this.organisers.list() };
  }

  /** Lets an organiser's events go public (when the site asks for approval). */
  @Post(':id/approve')
  async approve(
    @CurrentUser() admin: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.users.approve(admin, id);
    flash(req, 'success', 'The account is approved: its events can be published.');
    return res.redirect(303, '/users/list-users');
  }
}
