import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../common/forms/form-page';
import type { FieldErrors } from '../common/forms/form.pipe';
import { BUYER_PAYMENT_OPTIONS } from '../payments/payment-method';
import { PaymentOptions } from '../payments/payment-options.service';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { BookingPaymentsService } from './booking-payments.service';
import { CardPaymentsService } from './card-payments.service';
import { StripeGateway } from '../payments/stripe-gateway';
import { BookingDetails, BookingService } from './booking.service';
import { rememberedBookings } from './remembered-bookings';
import { bookingPagePath, successPagePath } from './booking-paths';

/** The pay page of a held booking: its deadline, and a button for each way to pay offered. */
@Controller()
export class PayController {
  constructor(
    private readonly bookings: BookingService,
    private readonly payments: BookingPaymentsService,
    private readonly paymentOptions: PaymentOptions,
    private readonly cards: CardPaymentsService,
    private readonly stripe: StripeGateway,
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
    if (booking.status !== 'pending') return res.redirect(303, bookingPagePath(booking));
    res.render('bookings/pay', await this.payView(booking, {}));
  }

  @Post('booking/:reference/pay')
  @RateLimit('purchase')
  @FormPage('bookings/pay', 'payAgain')
  async pay(@Param('reference') reference: string, @Req() req: Request, @Res() res: Response) {
    const { secret, method } = req.body as Record<string, unknown>;
    return res.redirect(303, await this.payments.pay(reference, secret, method));
  }

  /**
   * Where Stripe sends the buyer back. Once the webhook has landed the booking is paid; until
   * then this asks Stripe itself, so a lost webhook still confirms the booking.
   */
  @Get('booking/:reference/paid')
  async paid(
    @Param('reference') reference: string,
    @Query('secret') secret: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    let booking = await this.bookings.findVisible(reference, {
      secret,
      sessionReferences: rememberedBookings(req),
    });
    if (!booking.paidAt && booking.stripeSessionId && this.stripe.enabled) {
      await this.cards.confirm(await this.stripe.retrieveCheckoutSession(booking.stripeSessionId));
      booking = await this.bookings.findByReference(booking.reference);
    }
    if (booking.status === 'confirmed' && booking.paidAt) {
      return res.redirect(303, successPagePath(booking));
    }
    res.render('bookings/paid', { title: `Booking ${booking.reference}`, booking });
  }

  payAgain: FormView = async (values, errors, req) =>
    this.payView(
      await this.bookings.findVisible(req.params.reference, { secret: values.secret }),
      errors,
    );

  private async payView(booking: BookingDetails, errors: FieldErrors) {
    return {
      title: `Pay for booking ${booking.reference}`,
      booking,
      errors,
      methods: (await this.paymentOptions.offered()).map((method) => BUYER_PAYMENT_OPTIONS[method]),
    };
  }
}
