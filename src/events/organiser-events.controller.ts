import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { Form, FormBody } from '../common/forms/form.pipe';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { EventForm } from './dto/event.form';
import { eventFormValues, eventFormView, NEW_EVENT_VALUES } from './event.view';
import { EventsService } from './events.service';

@Controller()
@UseGuards(LoggedInGuard)
export class OrganiserEventsController {
  constructor(private readonly events: EventsService) {}

  @Get('create-event')
  @Render('events/form')
  createForm() {
    return eventFormView(NEW_EVENT_VALUES, {});
  }

  @Post('create-event')
  async create(
    @CurrentUser() user: SessionUser,
    @FormBody(EventForm) form: Form<EventForm>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      if (!form.valid)
        return res.status(422).render('events/form', eventFormView(form.values, form.errors));
      const event = await this.events.create(user, form.value.toInput());
      flash(
        req,
        'success',
        `"${event.title}" was created as a draft. Publish it when you are ready to sell.`,
      );
      return res.redirect(303, '/organiser');
    } catch (error) {
      if (!(error instanceof InvalidFieldError)) throw error;
      return res
        .status(422)
        .render('events/form', eventFormView(form.values, { [error.field]: error.message }));
    }
  }

  @Get('edit-event/:id')
  @Render('events/form')
  async editForm(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    const event = await this.events.findManageable(user, id);
    return eventFormView(eventFormValues(event), {}, event);
  }

  @Post('edit-event/:id')
  async edit(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(EventForm) form: Form<EventForm>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const event = await this.events.findManageable(user, id);
    try {
      if (!form.valid)
        return res
          .status(422)
          .render('events/form', eventFormView(form.values, form.errors, event));
      await this.events.update(user, id, form.value.toInput());
      flash(req, 'success', `"${form.value.title}" was saved.`);
      return res.redirect(303, '/organiser');
    } catch (error) {
      if (!(error instanceof InvalidFieldError)) throw error;
      return res
        .status(422)
        .render('events/form', eventFormView(form.values, { [error.field]: error.message }, event));
    }
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
