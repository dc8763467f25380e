import { Controller, Get, Param, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import type { FieldErrors, FormValues } from '../common/forms/form.pipe';
import { FormBody } from '../common/forms/form.pipe';
import { formatCents } from '../common/money';
import { flash } from '../common/views/flash';
import { BookingRefundsService, refundableCents } from './booking-refunds.service';
import { RefundForm } from './dto/refund.form';

/** The organiser's refund page of one booking. */
@Controller('organiser/bookings/:reference/refund')
@UseGuards(LoggedInGuard)
export class RefundsController {
  constructor(private readonly refunds: BookingRefundsService) {}

  @Get()
  @Render('bookings/refund')
  async page(@CurrentUser() user: SessionUser, @Param('reference') reference: string) {
    return this.view(user, reference, {}, {});
  }

  @Post()
  @FormPage('bookings/refund', 'pageAgain')
  async refund(
    @CurrentUser() user: SessionUser,
    @Param('reference') reference: string,
    @FormBody(RefundForm) form: RefundForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { refund, booking } = await this.refunds.refund(user, reference, form.amountCents());
    flash(
      req,
      'success',
      `Refunded ${formatCents(refund.amountCents)} of booking ${booking.reference}.`,
    );
    return res.redirect(303, `/organiser/events/${booking.eventId}/bookings`);
  }

  pageAgain: FormView = (values, errors, req) =>
    this.view(req.user!, req.params.reference, values, errors);

  private async view(
    user: SessionUser,
    reference: unknown,
    values: FormValues,
    errors: FieldErrors,
  ) {
    const booking = await this.refunds.findRefundable(user, reference);
    return {
      title: `Refund booking ${booking.reference}`,
      booking,
      refundable: refundableCents(booking),
      values,
      errors,
    };
  }
}
