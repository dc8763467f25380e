import { Get } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { ApiJson } from '../common/http/api-responses';
import { UserListResponse } from './dto/user-list.response';
import { OrganisersService } from './organisers.service';

@AdminApiController('users')
export class OrganisersApiController {
  constructor(private readonly organisers: OrganisersService) {}

  /** Never a password hash: an Organiser has no such field. */
  @Get()
  @ApiJson(200, UserListResponse)
  async list(): Promise<UserListResponse> {
    const users = await this.organisers.list();
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
