import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import { MemberAccess } from '../auth/guards/member-access.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { flash } from '../common/views/flash';
import { EventForm } from './dto/event.form';
import { eventFormValues, eventFormView, NEW_EVENT_VALUES } from './event.view';
import { EventsService } from './events.service';

@Controller()
@UseGuards(LoggedInGuard)
export class OrganiserEventsController {
  constructor(private readonly events: EventsService) {}

  @Get('create-event')
  @MemberAccess('manage')
  @Render('events/form')
  createForm() {
    return eventFormView(NEW_EVENT_VALUES, {});
  }

  @Post('create-event')
  @MemberAccess('manage')
  @RateLimit('events')
  @FormPage('events/form', 'createFormAgain')
  async create(
    @CurrentUser() user: SessionUser,
    @FormBody(EventForm) form: EventForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const event = await this.events.create(user, form.toInput());
    flash(
      req,
      'success',
      `"${event.title}" was created as a draft. Publish it when you are ready to sell.`,
    );
    return res.redirect(303, '/organiser');
  }

  createFormAgain: FormView = (values, errors) => eventFormView(values, errors);

  @Get('edit-event/:id')
  @Render('events/form')
  async editForm(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    const event = await this.events.findManageable(user, id);
    return { ...eventFormView(eventFormValues(event), {}, event), ...(await this.series(id)) };
  }

  @Post('edit-event/:id')
  @FormPage('events/form', 'editFormAgain')
  async edit(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(EventForm) form: EventForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.events.update(user, id, form.toInput());
    flash(req, 'success', `"${form.title}" was saved.`);
    return res.redirect(303, '/organiser');
  }

  editFormAgain: FormView = async (values, errors, req) => {
    const event = await this.events.findManageable(req.user!, Number(req.params.id));
    return { ...eventFormView(values, errors, event), ...(await this.series(event.id)) };
  };

  /** A series' start and end are its first date's: the form shows them, its dates page changes them. */
  private async series(eventId: number) {
    const dates = (await this.events.scheduledDates([eventId])).get(eventId) ?? 0;
    return { series: dates > 1, dateCount: dates };
  }

  @Post('delete-event/:id')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.events.remove(user, id);
    flash(req, 'success', 'The event was deleted.');
    return res.redirect(303, '/organiser');
  }

  @Post('publish-event/:id')
  async publish(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.events.publish(user, id);
    flash(req, 'success', 'The event is published: attendees can now buy tickets.');
    return res.redirect(303, '/organiser');
  }
}
