import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../common/forms/form-page';
import type { FieldErrors } from '../common/forms/form.pipe';
import type { BuyerPaymentMethod } from '../payments/payment-method';
import { PaymentOptions } from '../payments/payment-options.service';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { BookingPaymentsService } from './booking-payments.service';
import { BookingDetails, BookingService } from './booking.service';
import { rememberedBookings } from './remembered-bookings';

const METHODS: Record<Exclude<BuyerPaymentMethod, 'stripe'>, { label: string; hint: string }> = {
  bank_transfer: {
    label: 'Pay by bank transfer',
    hint: 'Your tickets stay reserved while the transfer arrives.',
  },
  on_site: { label: 'Pay at the door', hint: 'Confirmed now; you pay when you arrive.' },
};

const bookingPath = (booking: BookingDetails) =>
  `/booking/${booking.reference}?secret=${encodeURIComponent(booking.secret)}`;

/** The pay page of a held booking: its deadline, and a button for each way to pay offered. */
@Controller()
export class PayController {
  constructor(
    private readonly bookings: BookingService,
    private readonly payments: BookingPaymentsService,
    private readonly paymentOptions: PaymentOptions,
  ) {}

  @Get('booking/:reference/pay')
  async payPage(
    @Param('reference') reference: string,
    @Query('secret') secret: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const booking = await this.bookings.findVisible(reference, {
      secret,
      sessionReferences: rememberedBookings(req),
    });
    // Paid, lapsed or cancelled meanwhile: the booking's own page says which.
    if (booking.status !== 'pending') return res.redirect(303, bookingPath(booking));
    res.render('bookings/pay', await this.payView(booking, {}));
  }

  @Post('booking/:reference/pay')
  @RateLimit('purchase')
  @FormPage('bookings/pay', 'payAgain')
  async pay(@Param('reference') reference: string, @Req() req: Request, @Res() res: Response) {
    const { secret, method } = req.body as Record<string, unknown>;
    const booking = await this.payments.choose(reference, secret, method);
    return res.redirect(
      303,
      booking.status === 'confirmed'
        ? `/purchase/success?ref=${booking.reference}&secret=${encodeURIComponent(booking.secret)}`
        : bookingPath(booking),
    );
  }

  payAgain: FormView = async (values, errors, req) =>
    this.payView(
      await this.bookings.findVisible(req.params.reference, { secret: values.secret }),
      errors,
    );

  private async payView(booking: BookingDetails, errors: FieldErrors) {
    const offered = await this.paymentOptions.offered();
    return {
      title: `Pay for booking ${booking.reference}`,
      booking,
      errors,
      methods: offered
        .filter((method): method is keyof typeof METHODS => method in METHODS)
        .map((method) => ({ method, ...METHODS[method] })),
    };
  }
}
