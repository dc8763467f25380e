import { Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody, FormValues, FieldErrors } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { EventCatalogService } from '../events/event-catalog.service';
import { eventForAttendees } from '../events/event.view';
import { SalesClosedError, SoldOutError } from './booking.errors';
import { BookingService } from './booking.service';
import { browserScope } from './idempotency-scope';
import { PurchaseForm } from './dto/purchase.form';
import { PaymentOptions } from '../payments/payment-options.service';
import { payPagePath } from './pay-page-path';
import { planForBuyer } from './payment-plan';
import { rememberBooking, rememberedBookings } from './remembered-bookings';

const FAIL_REASONS = new Map<unknown, string>([
  [
    'sold_out',
    'Sorry, there are not enough tickets left for your order. Nothing was booked and you have not been charged.',
  ],
  ['sales_closed', 'Sales for this event have closed.'],
]);

@Controller()
export class PurchaseController {
  constructor(
    private readonly bookings: BookingService,
    private readonly catalog: EventCatalogService,
    private readonly paymentOptions: PaymentOptions,
  ) {}

  @Get('buy-tickets/:id')
  @Render('bookings/buy')
  async buyForm(@IdParam() id: number) {
    return this.buyFormView(id, { idempotencyKey: randomUUID() }, {});
  }

  @Post('purchase/:id')
  @RateLimit('purchase')
  @FormPage('bookings/buy', 'buyFormAgain')
  async purchase(
    @IdParam() id: number,
    @FormBody(PurchaseForm) form: PurchaseForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      const plan = planForBuyer(await this.paymentOptions.offered());
      const booking = await this.bookings.book(id, form.toOrder(browserScope(req)), plan);
      rememberBooking(req, booking.reference);
      return res.redirect(
        303,
        booking.status === 'pending'
          ? payPagePath(booking)
          : `/purchase/success?ref=${booking.reference}`,
      );
    } catch (error) {
      if (error instanceof SoldOutError)
        return res.redirect(303, `/purchase/fail?reason=sold_out&event=${id}`);
      if (error instanceof SalesClosedError)
        return res.redirect(303, `/purchase/fail?reason=sales_closed&event=${id}`);
      throw error;
    }
  }

  buyFormAgain: FormView = (values, errors, req) =>
    this.buyFormView(Number(req.params.id), values, errors);

  @Get('purchase/success')
  @Render('bookings/success')
  async success(
    @Query('ref') reference: unknown,
    @Query('secret') secret: unknown,
    @Req() req: Request,
  ) {
    const booking = await this.bookings.findVisible(reference, {
      secret,
      sessionReferences: rememberedBookings(req),
    });
    return {
      title: booking.status === 'cancelled' ? 'Booking cancelled' : 'Booking confirmed',
      booking,
    };
  }

  @Get('purchase/fail')
  @Render('bookings/fail')
  async fail(@Query('reason') reason: unknown, @Query('event') eventId: unknown) {
    const message = FAIL_REASONS.get(reason) ?? 'Your order could not be completed.';
    const event =
      typeof eventId === 'string' && /^[1-9]\d{0,9}$/.test(eventId)
        ? await this.catalog.findPublished(Number(eventId)).then(eventForAttendees, () => undefined)
        : undefined;
    return { title: 'Order not completed', message, event };
  }

  private async buyFormView(eventId: number, values: FormValues, errors: FieldErrors) {
    const event = eventForAttendees(await this.catalog.findPublished(eventId));
    const quantities = (values.quantities ?? {}) as Record<string, unknown>;
    return {
      title: `Tickets for ${event.title}`,
      event,
      values,
      errors,
      ticketTypes: event.ticketTypes.map((type) => ({
        ...type,
        selected: typeof quantities[type.id] === 'string' ? quantities[type.id] : '0',
        choices: Array.from(
          { length: Math.min(event.maxTicketsPerType, type.remaining) + 1 },
          (_, n) => String(n),
        ),
      })),
    };
  }
}
