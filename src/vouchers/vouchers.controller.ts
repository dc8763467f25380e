import { Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody, FieldErrors, FormValues } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { flash } from '../common/views/flash';
import { VoucherForm } from './dto/voucher.form';
import { EventsService } from '../events/events.service';
import { VouchersService } from './vouchers.service';

const VOUCHERS_PER_PAGE = 50;
const NEW_VOUCHER_VALUES: FormValues = { count: '1', maxUsages: '1', priceMode: 'none' };

/** The organiser's vouchers page of one event: list, create one or many, delete, export. */
@Controller()
@UseGuards(LoggedInGuard)
export class VouchersController {
  constructor(
    private readonly vouchers: VouchersService,
    private readonly events: EventsService,
  ) {}

  // Declared before the page so the export is never taken for it.
  @Get('organiser/events/:id/vouchers.csv')
  async csv(@CurrentUser() user: SessionUser, @IdParam() id: number, @Res() res: Response) {
    const file = await this.vouchers.csv(user, id);
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .attachment(file.filename);
    await pipeline(Readable.from(file.chunks), res);
  }

  @Get('organiser/events/:id/vouchers')
  @Render('vouchers/list')
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('page') pageParam?: unknown,
  ) {
    return this.view(user, id, requestedPage(pageParam), NEW_VOUCHER_VALUES, {});
  }

  @Post('organiser/events/:id/vouchers')
  @FormPage('vouchers/list', 'listAgain')
  async create(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(VoucherForm) form: VoucherForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const created = await this.vouchers.create(user, id, form.toInput());
    flash(
      req,
      'success',
      created.length === 1
        ? `Voucher ${created[0].code} created.`
        : `${created.length} vouchers created: download the CSV for their codes.`,
    );
    return res.redirect(303, `/organiser/events/${id}/vouchers`);
  }

  listAgain: FormView = (values, errors, req) =>
    this.view(req.user!, Number(req.params.id), 1, values, errors);

  @Post('organiser/vouchers/:id/delete')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const voucher = await this.vouchers.remove(user, id);
    flash(req, 'success', `Voucher ${voucher.code} deleted.`);
    return res.redirect(303, `/organiser/events/${voucher.eventId}/vouchers`);
  }

  private async view(
    user: SessionUser,
    eventId: number,
    page: number,
    values: FormValues,
    errors: FieldErrors,
  ) {
    const { event, vouchers, total } = await this.vouchers.page(
      user,
      eventId,
      VOUCHERS_PER_PAGE,
      (page - 1) * VOUCHERS_PER_PAGE,
    );
    assertPageExists(page, vouchers.length);
    const [withTheirDates] = await this.events.withDates([event]);
    const typeNames = new Map(event.ticketTypes.map((type) => [type.id, type.name]));
    return {
      title: `Vouchers for ${event.title}`,
      event,
      vouchers: vouchers.map((voucher) => ({
        ...voucher,
        ticketTypeName: voucher.ticketTypeId === null ? 'All' : typeNames.get(voucher.ticketTypeId),
        lapsed: Boolean(
          voucher.releasedAt || (voucher.validUntil && voucher.validUntil.getTime() <= Date.now()),
        ),
      })),
      ticketTypes: event.ticketTypes.map((type) => ({
        ...type,
        selected: String(type.id) === values.ticketTypeId,
      })),
      // Only an event with several dates asks which one (a holding voucher holds on one).
      dates:
        withTheirDates.dates.length > 1
          ? withTheirDates.dates
              .filter((date) => date.status === 'scheduled')
              .map((date) => ({ ...date, selected: String(date.id) === values.dateId }))
          : [],
      total,
      values,
      errors,
      ...neighbourPages(page, VOUCHERS_PER_PAGE, total),
    };
  }
}
