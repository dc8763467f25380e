import { Controller, Get, Render, UseGuards } from '@nestjs/common';
import { Roles } from '../auth/guards/roles.decorator';
import { RolesGuard } from '../auth/guards/roles.guard';
import { OrganisersService } from './organisers.service';

@Controller('users')
@UseGuards(RolesGuard)
@Roles('admin')
export class OrganisersController {
  constructor(private readonly organisers: OrganisersService) {}

  @Get('list-users')
  @Render('organisers/list')
  async list() {
    return { title: 'Users', users: await this.organisers.list() };
  }
}
