import { Body, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { AdminApiController } from '../../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../../auth/guards/current-user.decorator';
import type { SessionUser } from '../../auth/session-user';
import { ApiJson, ApiProblem } from '../../common/http/api-responses';
import { IdParam } from '../../common/http/id-param.decorator';
import { EventDateResponse } from '../dto/api/event.response';
import { dateJson } from '../event.json';
import { EventsService } from '../events.service';
import { NewDatesDto } from './dto/new-dates.dto';
import { EventDatesService, NewDates } from './event-dates.service';

export class AddedDates {
  @ApiProperty({ type: [EventDateResponse] })
  data!: EventDateResponse[];
}

@AdminApiController('events')
export class EventDatesApiController {
  constructor(
    private readonly dates: EventDatesService,
    private readonly events: EventsService,
  ) {}

  @Post(':id/dates')
  @ApiJson(201, AddedDates, 'Created')
  @ApiProblem(409, 'The event would have more dates than it may')
  async add(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Body() body: NewDatesDto,
  ): Promise<AddedDates> {
    const added = await this.dates.add(user, id, toNewDates(body));
    const { ticketTypes } = await this.events.findManageable(user, id);
    return { data: added.map((date) => dateJson(date, ticketTypes)) };
  }

  @Delete(':id/dates/:dateId')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblem(409, 'The date has bookings (cancel it instead), or is the event’s only one')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @IdParam('dateId') dateId: number,
  ): Promise<void> {
    await this.dates.remove(user, id, dateId);
  }
}

function toNewDates(body: NewDatesDto): NewDates {
  return {
    startsAt: body.startsAt === undefined ? undefined : new Date(body.startsAt),
    endsAt: body.endsAt ? new Date(body.endsAt) : null,
    rule: body.rule,
  };
}
