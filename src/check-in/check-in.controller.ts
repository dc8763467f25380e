import { Controller, Get, Post, Query, Render, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { IdParam, optionalId } from '../common/http/id-param.decorator';
import { CHECK_IN_STATUS, checkInPage } from './check-in.view';
import { CheckInService } from './check-in.service';
import { CheckInForm } from './dto/check-in.form';

/** The door: an organiser types or scans a booking reference and learns whether to let them in. */
@Controller('organiser/events/:id/check-in')
@UseGuards(LoggedInGuard)
export class CheckInController {
  constructor(private readonly checkIns: CheckInService) {}

  /** `?reference=` comes from a scanned ticket: it only fills the form, the organiser confirms. */
  @Get()
  @Render('check-in/desk')
  async desk(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('reference') reference: unknown,
    @Query('date') date: unknown,
  ) {
    const values = { reference: typeof reference === 'string' ? reference : '' };
    return checkInPage(await this.checkIns.desk(user, id, optionalId(date)), values, {});
  }

  @Post()
  @FormPage('check-in/desk', 'deskAgain')
  async checkIn(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(CheckInForm) form: CheckInForm,
    @Res() res: Response,
  ) {
    const { desk, outcome } = await this.checkIns.checkIn(
      user,
      id,
      form.reference,
      form.dateId || undefined,
    );
    return res
      .status(CHECK_IN_STATUS[outcome.result])
      .render('check-in/desk', checkInPage(desk, {}, {}, outcome));
  }

  deskAgain: FormView = async (values, errors, req) =>
    checkInPage(
      await this.checkIns.desk(req.user!, Number(req.params.id), optionalId(values.dateId)),
      values,
      errors,
    );
}
