import { Controller, Get, NotFoundException, Query, Render, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { IdParam, optionalId } from '../common/http/id-param.decorator';
import { EventsService } from '../events/events.service';
import { salesChart } from './sales-chart';
import { SalesTimelineService } from './sales-timeline.service';

/** One event's sales chart: all its dates (as on the dashboard), or one of them (`?date=`). */
@Controller('organiser/events/:id/sales')
@UseGuards(LoggedInGuard)
export class EventSalesController {
  constructor(
    private readonly events: EventsService,
    private readonly timeline: SalesTimelineService,
  ) {}

  @Get()
  @Render('sales/event-sales')
  async page(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('date') dateParam?: unknown,
  ) {
    const [event] = await this.events.withDates([await this.events.findManageable(user, id)]);
    const dateId = optionalId(dateParam);
    const date = event.dates.find((candidate) => candidate.id === dateId);
    if (dateId !== undefined && !date) throw new NotFoundException('No such date.');
    const shown = date ? [date] : event.dates.filter((each) => each.status === 'scheduled');
    const capacity = shown
      .flatMap((each) => each.stock ?? [])
      .reduce((sum, stock) => sum + stock.capacity, 0);
    const sales = date
      ? await this.timeline.hourlyTicketsSoldOn(date.id)
      : ((await this.timeline.hourlyTicketsSold([id])).get(id) ?? []);
    return {
      title: `Sales of ${event.title}`,
      event,
      dates: event.dates.map(({ id: each, startsAt }) => ({
        id: each,
        startsAt,
        chosen: each === date?.id,
      })),
      manyDates: event.dates.length > 1,
      date,
      salesChart: salesChart({ subject: event.title, sales, capacity, now: new Date() }),
    };
  }
}
