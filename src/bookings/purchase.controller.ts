import { Body, Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody, FormValues, FieldErrors } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { EventCatalogService } from '../events/event-catalog.service';
import { eventOnDateForAttendees } from '../events/dates/dates.view';
import { BuyerOffer, eventForAttendees } from '../events/event.view';
import { VoucherOffers } from '../vouchers/voucher-offers.service';
import { VoucherRefusedError } from '../vouchers/voucher.errors';
import { SalesClosedError, SoldOutError } from './booking.errors';
import { BookingService } from './booking.service';
import { browserScope } from './idempotency-scope';
import { PurchaseForm } from './dto/purchase.form';
import { postedList } from '../common/forms/posted-list';
import { SeatingService } from '../seating/seating.service';
import { seatPicker } from './seat-picker';
import { formatMoney } from '../common/money';
import { SettingsService } from '../settings/settings.service';
import { postedTicketNames } from './dto/ticket-names';
import { PaymentOptions } from '../payments/payment-options.service';
import { payPagePath } from './booking-paths';
import { planForBuyer } from './payment-plan';
import { rememberBooking, rememberedBookings } from './remembered-bookings';
import { QueueAdmissionGuard } from '../queue/queue-admission.guard';

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
    private readonly voucherOffers: VoucherOffers,
    private readonly seating: SeatingService,
    private readonly settings: SettingsService,
  ) {}

  /** `?voucher=CODE` applies a code: the hidden types it unlocks appear, its prices are shown. Trying codes counts as purchases do. */
  @Get('buy-tickets/:id')
  @RateLimit('purchase')
  @UseGuards(QueueAdmissionGuard)
  @Render('bookings/buy')
  async buyForm(
    @IdParam() id: number,
    @Query('voucher') voucher?: unknown,
    @Query('date') date?: unknown,
  ) {
    return this.buyFormView(
      id,
      {
        idempotencyKey: randomUUID(),
        ...(typeof voucher === 'string' ? { voucher } : {}),
        ...(typeof date === 'string' ? { dateId: date } : {}),
      },
      {},
    );
  }

  /** The buy form's "Apply" button: the form again with the code applied (its hidden types, its prices). */
  @Post('buy-tickets/:id/apply')
  applyVoucher(
    @IdParam() id: number,
    @Body('voucher') voucher: unknown,
    @Body('dateId') dateId: unknown,
    @Res() res: Response,
  ) {
    const code = typeof voucher === 'string' ? voucher.trim().slice(0, 64) : '';
    const query = [
      code ? `voucher=${encodeURIComponent(code)}` : '',
      typeof dateId === 'string' && /^\d{1,10}$/.test(dateId) ? `date=${dateId}` : '',
    ]
      .filter(Boolean)
      .join('&');
    res.redirect(303, `/buy-tickets/${id}${query ? `?${query}` : ''}`);
  }

  @Post('purchase/:id')
  @RateLimit('purchase')
  @UseGuards(QueueAdmissionGuard)
  @FormPage('bookings/buy', 'buyFormAgain')
  async purchase(
    @IdParam() id: number,
    @FormBody(PurchaseForm) form: PurchaseForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const queueEntryId = req.queueEntryId;
    try {
      const plan = planForBuyer(await this.paymentOptions.offered());
      const booking = await this.bookings.book(
        id,
        { ...form.toOrder(browserScope(req)), queueEntryId },
        plan,
      );
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

  /** The offer of the code typed into the form, or why it cannot be used. */
  private async offerFor(
    eventId: number,
    typed: unknown,
  ): Promise<{ offer?: BuyerOffer; refused?: string }> {
    if (typeof typed !== 'string' || typed.trim() === '') return {};
    try {
      return { offer: await this.voucherOffers.find(eventId, typed) };
    } catch (error) {
      if (error instanceof VoucherRefusedError) return { refused: error.errors.voucher };
      throw error;
    }
  }

  private async buyFormView(eventId: number, values: FormValues, errors: FieldErrors) {
    const found = await this.catalog.findPublished(eventId);
    const { offer, refused } = await this.offerFor(eventId, values.voucher);
    // A code for one date opens the form on that date (an offer mail's link names no other).
    const event = eventOnDateForAttendees(
      found,
      values.dateId ?? offer?.dateId?.toString(),
      Date.now(),
      offer,
    );
    if (refused) errors = { voucher: refused, ...errors };
    const quantities = (values.quantities ?? {}) as Record<string, unknown>;
    const names = postedTicketNames(values.ticketNames ?? {}) as Record<string, unknown[]>;
    const picked = new Set(postedList(values.seats ?? []).map(Number));
    const { currency } = await this.settings.get();
    return {
      title: `Tickets for ${event.title}`,
      event,
      voucherApplied: Boolean(offer),
      // Most events sell by number: their form reads no seats.
      seatPicker: event.ticketTypes.some((type) => type.seated)
        ? seatPicker(
            await this.seating.forSale(event.id, event.dateId),
            event.ticketTypes,
            picked,
            (cents) => formatMoney(cents, currency),
          )
        : undefined,
      values,
      errors,
      bestAvailableError: Object.entries(errors).find(([field]) =>
        field.startsWith('bestAvailable'),
      )?.[1],
      ticketTypes: event.ticketTypes.map((type) => {
        const choices = quantityChoices(type);
        return {
          ...type,
          selected: typeof quantities[type.id] === 'string' ? quantities[type.id] : '0',
          choices,
          names: found.namePerTicket && {
            fields: nameFields(choices.length - 1, names[type.id]),
            error: errors[`ticketNames.${type.id}`],
          },
        };
      }),
    };
  }
}

/** A name field for each ticket one order may take, filled with the names posted. */
function nameFields(most: number, posted: unknown[] = []) {
  return Array.from({ length: most }, (_, n) => ({
    number: n + 1,
    value: typeof posted[n] === 'string' ? posted[n] : '',
  }));
}

/** None, or any quantity one order may take that is still left. */
function quantityChoices(type: { min: number; max: number; remaining: number }): string[] {
  const most = Math.min(type.max, type.remaining);
  const some = Array.from({ length: Math.max(0, most - type.min + 1) }, (_, n) => type.min + n);
  return ['0', ...some.map(String)];
}
