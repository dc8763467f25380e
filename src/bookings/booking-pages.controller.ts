import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { safeNextPath } from '../auth/safe-next-path';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { IdParam, optionalId } from '../common/http/id-param.decorator';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { flash } from '../common/views/flash';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { BookingService } from './booking.service';
import { BookingPaymentsService } from './booking-payments.service';
import { EventBookingsService } from './event-bookings.service';
import { rememberedBookings } from './remembered-bookings';
import { bookingPagePath } from './booking-paths';

/** A booking's own page for its attendee, and each event's bookings for its organiser. */
/** Bookings shown on one page of an event's bookings list. */
const BOOKINGS_PER_PAGE = 50;

@Controller()
export class BookingPagesController {
  constructor(
    private readonly bookings: BookingService,
    private readonly eventBookings: EventBookingsService,
    private readonly payments: BookingPaymentsService,
  ) {}

  @Get('booking/:reference')
  @Render('bookings/booking')
  async show(
    @Param('reference') reference: string,
    @Query('secret') secret: unknown,
    @Req() req: Request,
  ) {
    const booking = await this.bookings.findVisible(reference, {
      secret,
      sessionReferences: rememberedBookings(req),
    });
    return { title: `Booking ${booking.reference}`, booking };
  }

  @Post('booking/:reference/cancel')
  @RateLimit('purchase')
  async cancel(
    @Param('reference') reference: string,
    @Body('secret') secret: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const booking = await this.bookings.cancel(reference, { secret });
    flash(req, 'success', `Booking ${booking.reference} is cancelled.`);
    return res.redirect(303, bookingPagePath(booking));
  }

  // Declared before `bookings` so the export is never taken for the page.
  @Get('organiser/events/:id/bookings.csv')
  @UseGuards(LoggedInGuard)
  async csv(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Res() res: Response,
    @Query('date') date?: unknown,
  ) {
    const file = await this.eventBookings.csv(user, id, optionalId(date));
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .attachment(file.filename);
    await pipeline(Readable.from(file.chunks), res);
  }

  @Get('organiser/events/:id/bookings')
  @UseGuards(LoggedInGuard)
  @Render('bookings/event-bookings')
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('page') pageParam?: unknown,
    @Query('date') date?: unknown,
  ) {
    const page = requestedPage(pageParam);
    const dateId = optionalId(date);
    const { event, dates, manages, bookings, total } = await this.eventBookings.page(
      user,
      id,
      BOOKINGS_PER_PAGE,
      (page - 1) * BOOKINGS_PER_PAGE,
      dateId,
    );
    assertPageExists(page, bookings.length);
    return {
      title: `Bookings for ${event.title}`,
      event,
      dates,
      dateId,
      manages,
      bookings,
      total,
      ...neighbourPages(page, BOOKINGS_PER_PAGE, total),
    };
  }

  @Post('organiser/bookings/:reference/mark-paid')
  @UseGuards(LoggedInGuard)
  async markPaid(
    @CurrentUser() user: SessionUser,
    @Param('reference') reference: string,
    @Body('next') next: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const booking = await this.payments.markPaid(user, reference);
    flash(req, 'success', `Booking ${booking.reference} is paid.`);
    // Back to the page it was marked on: the event's bookings, or its check-in desk.
    return res.redirect(303, safeNextPath(next) ?? `/organiser/events/${booking.eventId}/bookings`);
  }

  @Post('organiser/events/:id/bookings/:reference/cancel')
  @UseGuards(LoggedInGuard)
  async cancelForOrganiser(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Param('reference') reference: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const booking = await this.eventBookings.cancel(user, id, reference);
    flash(req, 'success', `Booking ${booking.reference} is cancelled.`);
    return res.redirect(303, `/organiser/events/${id}/bookings`);
  }
}
