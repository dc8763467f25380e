import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../../auth/guards/logged-in.guard';
import type { SessionUser } from '../../auth/session-user';
import { FormPage, FormView } from '../../common/forms/form-page';
import { FieldErrors, FormBody, FormValues } from '../../common/forms/form.pipe';
import { IdParam } from '../../common/http/id-param.decorator';
import { flash } from '../../common/views/flash';
import { EventsService } from '../events.service';
import { WEEKDAYS } from './date-rule';
import { DateSeriesForm, OneDateForm } from './dto/date.forms';
import { EventDatesService } from './event-dates.service';

const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

/** The organiser's dates page of one event: every date with its sales; add one, add a weekly series, remove. */
@Controller('organiser/events/:id/dates')
@UseGuards(LoggedInGuard)
export class EventDatesController {
  constructor(
    private readonly dates: EventDatesService,
    private readonly events: EventsService,
  ) {}

  @Get()
  @Render('events/dates')
  page(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.view(user, id, {}, {});
  }

  @Post()
  @FormPage('events/dates', 'pageAgain')
  async addOne(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(OneDateForm) form: OneDateForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.dates.add(user, id, form.toNewDates());
    flash(req, 'success', 'Date added.');
    return res.redirect(303, `/organiser/events/${id}/dates`);
  }

  @Post('series')
  @FormPage('events/dates', 'pageAgain')
  async addSeries(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(DateSeriesForm) form: DateSeriesForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const added = await this.dates.add(user, id, form.toNewDates());
    flash(req, 'success', `${added.length} date${added.length === 1 ? '' : 's'} added.`);
    return res.redirect(303, `/organiser/events/${id}/dates`);
  }

  pageAgain: FormView = (values, errors, req) =>
    this.view(req.user!, Number(req.params.id), values, errors);

  @Post(':dateId/delete')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @IdParam('dateId') dateId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.dates.remove(user, id, dateId);
    flash(req, 'success', 'Date removed.');
    return res.redirect(303, `/organiser/events/${id}/dates`);
  }

  private async view(user: SessionUser, eventId: number, values: FormValues, errors: FieldErrors) {
    const [event] = await this.events.withDates([await this.events.findManageable(user, eventId)]);
    const now = Date.now();
    const chosen = new Set(Array.isArray(values.byWeekday) ? values.byWeekday : [values.byWeekday]);
    return {
      title: `Dates of ${event.title}`,
      event,
      dates: event.dates.map((date) => {
        const stock = date.stock ?? [];
        const sold = stock.reduce((sum, row) => sum + row.sold, 0);
        const held = stock.reduce((sum, row) => sum + row.reserved + row.waiting, 0);
        return {
          ...date,
          sold,
          capacity: stock.reduce((sum, row) => sum + row.capacity, 0),
          cancelled: date.status === 'cancelled',
          past: date.startsAt.getTime() <= now,
          removable: sold === 0 && held === 0 && event.dates.length > 1,
        };
      }),
      weekdays: WEEKDAYS.map((code, index) => ({
        code,
        name: WEEKDAY_NAMES[index],
        checked: chosen.has(code),
      })),
      values,
      errors,
    };
  }
}
