import {
  BadRequestException,
  Body,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson, ApiProblem } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { bookingJson } from './booking.json';
import { BookingService } from './booking.service';
import { BookingPaymentsService } from './booking-payments.service';
import { BookingRefundsService } from './booking-refunds.service';
import { CreateRefundDto } from './dto/refund.form';
import { RefundResponse, refundJson } from './dto/api/refund.response';
import { BookingPage, BookingResponse } from './dto/api/booking.response';
import { CreateBookingDto } from './dto/api/create-booking.dto';
import { ListBookingsQuery } from './dto/api/list-bookings.query';
import { EventBookingsService } from './event-bookings.service';
import { tokenScope } from './idempotency-scope';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { PaymentOptions } from '../payments/payment-options.service';
import { PaymentPlan } from './payment-plan';

@AdminApiController('', 'bookings')
export class BookingsApiController {
  constructor(
    private readonly bookings: BookingService,
    private readonly eventBookings: EventBookingsService,
    private readonly paymentOptions: PaymentOptions,
    private readonly payments: BookingPaymentsService,
    private readonly refunds: BookingRefundsService,
  ) {}

  @Get('events/:id/bookings')
  @ApiJson(200, BookingPage)
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query() query: ListBookingsQuery,
  ): Promise<BookingPage> {
    const { bookings, total } = await this.eventBookings.page(
      user,
      id,
      query.limit,
      query.offset,
      query.dateId,
    );
    return { data: bookings.map(bookingJson), total, limit: query.limit, offset: query.offset };
  }

  /** The same key with the same body returns the first booking (200); with another body, 409. */
  @Post('events/:id/bookings')
  @ApiJson(201, BookingResponse, 'Booked')
  @ApiJson(200, BookingResponse, 'The booking first made with this Idempotency-Key and body')
  @ApiProblem(409, 'Sold out, sales closed, or the Idempotency-Key was used for another order')
  async book(
    @IdParam() id: number,
    @Body() body: CreateBookingDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idempotencyKey !== undefined && !/^[A-Za-z0-9_-]{8,100}$/.test(idempotencyKey)) {
      throw new BadRequestException(
        'Idempotency-Key must be 8 to 100 letters, digits, "-" or "_".',
      );
    }
    const order = body.toOrder(idempotencyKey, tokenScope(req));
    const { booking, replayed } = await this.bookings.bookAndShow(
      id,
      order,
      await this.apiPlan(body.paymentMethod),
    );
    res.status(replayed ? 200 : 201);
    return bookingJson(booking);
  }

  private async apiPlan(method: CreateBookingDto['paymentMethod']): Promise<PaymentPlan> {
    if (method !== 'bank_transfer') return { confirmAs: 'manual' };
    const days = await this.paymentOptions.bankTransferDays();
    if (days === undefined) {
      throw new InvalidFieldError(
        'paymentMethod',
        'Bank transfer is not set up: add its instructions in the site settings first.',
      );
    }
    return { hold: 'bank_transfer', days };
  }

  @Get('bookings/:reference')
  @ApiJson(200, BookingResponse)
  async get(@Param('reference') reference: string) {
    return bookingJson(await this.bookings.findByReference(reference));
  }

  @Post('bookings/:reference/mark-paid')
  @ApiJson(200, BookingResponse, 'Paid: a held booking is confirmed (already paid: unchanged)')
  @ApiProblem(409, 'Cancelled, or lapsed with its tickets sold again')
  @HttpCode(200)
  async markPaid(@CurrentUser() user: SessionUser, @Param('reference') reference: string) {
    return bookingJson(await this.payments.markPaid(user, reference));
  }

  @Post('bookings/:reference/refunds')
  @ApiJson(201, RefundResponse, 'Refunded (everything still paid: the booking is cancelled)')
  @ApiProblem(409, 'Nothing paid, or everything refunded already')
  @ApiProblem(422, 'More than is left to refund')
  @ApiProblem(502, 'The payment provider did not make the refund: nothing changed')
  async refund(
    @CurrentUser() user: SessionUser,
    @Param('reference') reference: string,
    @Body() body: CreateRefundDto,
  ) {
    const { refund, booking } = await this.refunds.refund(user, reference, body.amountCents);
    return refundJson(refund, booking.reference);
  }

  @Post('bookings/:reference/cancel')
  @ApiJson(200, BookingResponse, 'Cancelled (or already cancelled: unchanged)')
  @HttpCode(200)
  async cancel(@CurrentUser() user: SessionUser, @Param('reference') reference: string) {
    return bookingJson(await this.bookings.cancel(reference, { user }));
  }
}
