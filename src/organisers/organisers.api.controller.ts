import { Get } from '@nestjs/common';
import { ApiJson } from '../common/http/api-schemas';
import { AdminApiController } from './api-tokens/admin-api.decorator';
import { UsersService } from './users.service';

@AdminApiController('users')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  /** Never a password hash: UserListItem has no such field. */
  @Get()
  @ApiJson(200, 'UserList')
  async list() {
    const users = await this.users.listWithEventCounts();
    return {
      data: users.map((user) => ({
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        createdAt: user.createdAt.toISOString(),
        eventCount: user.eventCount,
      })),
    };
  }
}
