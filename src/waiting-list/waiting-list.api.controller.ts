import { Get, Query } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { PaginationQuery } from '../common/http/pagination.query';
import { waitingListEntryJson, WaitingListPage } from './waiting-list.json';
import { WaitingListService } from './waiting-list.service';

@AdminApiController('', 'waiting list')
export class WaitingListApiController {
  constructor(private readonly waitingList: WaitingListService) {}

  @Get('events/:id/waiting-list')
  @ApiJson(200, WaitingListPage, 'In queue order per ticket type')
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query() query: PaginationQuery,
  ): Promise<WaitingListPage> {
    const { entries, total } = await this.waitingList.page(user, id, query.limit, query.offset);
    return {
      data: entries.map(waitingListEntryJson),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
