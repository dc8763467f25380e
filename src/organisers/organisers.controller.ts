import { Controller, Get, Render, UseGuards } from '@nestjs/common';
import { Roles } from './guards/roles.decorator';
import { RolesGuard } from './guards/roles.guard';
import { UsersService } from './users.service';

@Controller('users')
@UseGuards(RolesGuard)
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('list-users')
  @Render('auth/users')
  async list() {
    return { title: 'Users', users: await this.users.listWithEventCounts() };
  }
}
