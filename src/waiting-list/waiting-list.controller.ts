import { Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FieldErrors, FormBody, FormValues } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { flash } from '../common/views/flash';
import { EventCatalogService } from '../events/event-catalog.service';
import { eventOnDateForAttendees } from '../events/dates/dates.view';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { JoinWaitingListForm } from './dto/join.form';
import { waitingListStatus } from './entities/waiting-list-entry.entity';
import { WaitingListService } from './waiting-list.service';

const ENTRIES_PER_PAGE = 100;

/** Joining an event's waiting list (attendees), and seeing and pruning it (organisers). */
@Controller()
export class WaitingListController {
  constructor(
    private readonly waitingList: WaitingListService,
    private readonly catalog: EventCatalogService,
  ) {}

  @Get('event/:id/waiting-list')
  @Render('waiting-list/join')
  async joinForm(
    @IdParam() id: number,
    @Query('ticketType') ticketType?: unknown,
    @Query('date') date?: unknown,
  ) {
    return this.joinView(
      id,
      {
        ticketTypeId: typeof ticketType === 'string' ? ticketType : '',
        quantity: '1',
        ...(typeof date === 'string' ? { dateId: date } : {}),
      },
      {},
    );
  }

  @Post('event/:id/waiting-list')
  @RateLimit('purchase')
  @FormPage('waiting-list/join', 'joinFormAgain')
  async join(
    @IdParam() id: number,
    @FormBody(JoinWaitingListForm) form: JoinWaitingListForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { entry, place } = await this.waitingList.join(id, form.toRequest());
    flash(
      req,
      'success',
      `You are number ${place} on the waiting list. When ${entry.quantity === 1 ? 'a ticket comes' : 'tickets come'} free, we will mail ${entry.email} a link to buy ${entry.quantity === 1 ? 'it' : 'them'}.`,
    );
    return res.redirect(303, `/event/${id}/waiting-list/joined`);
  }

  joinFormAgain: FormView = (values, errors, req) =>
    this.joinView(Number(req.params.id), values, errors);

  @Get('event/:id/waiting-list/joined')
  @Render('waiting-list/joined')
  async joined(@IdParam() id: number) {
    const event = await this.catalog.findPublished(id);
    return { title: `On the waiting list: ${event.title}`, event };
  }

  @Get('organiser/events/:id/waiting-list')
  @UseGuards(LoggedInGuard)
  @Render('waiting-list/list')
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('page') pageParam?: unknown,
  ) {
    const page = requestedPage(pageParam);
    const { event, entries, total } = await this.waitingList.page(
      user,
      id,
      ENTRIES_PER_PAGE,
      (page - 1) * ENTRIES_PER_PAGE,
    );
    assertPageExists(page, entries.length);
    const typeNames = new Map(event.ticketTypes.map((type) => [type.id, type.name]));
    return {
      title: `Waiting list for ${event.title}`,
      event,
      entries: entries.map((entry) => ({
        ...entry,
        status: waitingListStatus(entry),
        ticketTypeName: typeNames.get(entry.ticketTypeId),
        validUntil: entry.voucher?.validUntil,
        voucherCode: entry.voucher?.code,
      })),
      total,
      ...neighbourPages(page, ENTRIES_PER_PAGE, total),
    };
  }

  @Post('organiser/waiting-list/:id/remove')
  @UseGuards(LoggedInGuard)
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const entry = await this.waitingList.remove(user, id);
    flash(req, 'success', `${entry.email} is off the waiting list.`);
    return res.redirect(303, `/organiser/events/${entry.eventId}/waiting-list`);
  }

  /** The join form: the event's types that are sold out to the public while on sale. */
  private async joinView(eventId: number, values: FormValues, errors: FieldErrors) {
    const event = eventOnDateForAttendees(await this.catalog.findPublished(eventId), values.dateId);
    const types = event.ticketTypes.filter((type) => type.soldOut && !type.upcoming && !type.ended);
    return {
      title: `Waiting list: ${event.title}`,
      event,
      values,
      errors,
      ticketTypes: types.map((type) => ({
        ...type,
        selected: String(type.id) === values.ticketTypeId,
      })),
      quantities: Array.from({ length: Math.max(...types.map((type) => type.max), 1) }, (_, n) => ({
        value: String(n + 1),
        selected: String(n + 1) === values.quantity,
      })),
    };
  }
}
