import { Body, Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { ApiJson } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { EventsService } from '../events/events.service';
import { QueueRateForm } from './queue-rate.form';
import { FormBody, type FieldErrors, type FormValues } from '../common/forms/form.pipe';
import { FormPage, FormView } from '../common/forms/form-page';
import { QueueStatusResponse } from './queue-status.response';
import { QueueStatuses } from './queue-status';

/** The organisers' live view of an event's queue: counts, state, the rate, pause and resume. */
@Controller('organiser/events/:id/queue')
@UseGuards(LoggedInGuard)
export class QueueOrganiserController {
  constructor(
    private readonly events: EventsService,
    private readonly statuses: QueueStatuses,
  ) {}

  @Get()
  @Render('queue/organiser')
  page(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.view(user, id, {}, {});
  }

  private async view(user: SessionUser, id: number, values: FormValues, errors: FieldErrors) {
    const event = await this.events.findManageable(user, id);
    return {
      title: `Queue of ${event.title}`,
      event,
      status: await this.statuses.of(event),
      values: { admissionPerMinute: String(event.admissionPerMinute), ...values },
      errors,
      // Live while nobody is typing a new rate.
      refreshSeconds: Object.keys(errors).length ? undefined : 15,
    };
  }

  pageAgain: FormView = (values, errors, req) =>
    this.view(req.user!, Number(req.params.id), values, errors);

  @Post('rate')
  @FormPage('queue/organiser', 'pageAgain')
  async rate(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(QueueRateForm) form: QueueRateForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.events.patch(user, id, { admissionPerMinute: form.admissionPerMinute });
    flash(req, 'success', `The queue now lets ${form.admissionPerMinute} in a minute.`);
    return res.redirect(303, `/organiser/events/${id}/queue`);
  }

  @Post('pause')
  async pause(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Body('paused') paused: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const pausing = paused === 'true';
    await this.events.pauseQueue(user, id, pausing);
    flash(req, 'success', pausing ? 'Admission is paused.' : 'Admission goes on.');
    return res.redirect(303, `/organiser/events/${id}/queue`);
  }
}

/** GET /api/v1/events/:id/queue (PATCH /api/v1/events/:id changes its fields, `paused` too). */
@AdminApiController('events')
export class QueueApiController {
  constructor(
    private readonly events: EventsService,
    private readonly statuses: QueueStatuses,
  ) {}

  @Get(':id/queue')
  @ApiJson(200, QueueStatusResponse)
  async status(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.statuses.of(await this.events.findManageable(user, id));
  }
}
