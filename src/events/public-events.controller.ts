import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { IdParam, optionalId } from '../common/http/id-param.decorator';
import { EventCalendarService } from './event-calendar.service';
import { EventCatalogService } from './event-catalog.service';
import { eventCardForAttendees, eventOnDateForAttendees } from './dates/dates.view';

const HOME_PAGE_EVENTS = 6;
/** Upcoming events per page of /attendee: the page stays as quick with 2,000 events as with 20. */
export const ATTENDEE_PAGE_EVENTS = 24;

@Controller()
export class PublicEventsController {
  constructor(
    private readonly catalog: EventCatalogService,
    private readonly calendar: EventCalendarService,
  ) {}

  @Get()
  @Render('events/home')
  async home() {
    const { events, total } = await this.catalog.listUpcoming(HOME_PAGE_EVENTS);
    return {
      events: events.map((event) => eventCardForAttendees(event)),
      more: total > HOME_PAGE_EVENTS,
    };
  }

  @Get('attendee')
  @Render('events/list')
  async list(@Query('page') pageParam?: unknown) {
    const page = requestedPage(pageParam);
    const { events, total } = await this.catalog.listUpcoming(
      ATTENDEE_PAGE_EVENTS,
      (page - 1) * ATTENDEE_PAGE_EVENTS,
    );
    assertPageExists(page, events.length);
    return {
      title: 'Upcoming events',
      events: events.map((event) => eventCardForAttendees(event)),
      total,
      ...neighbourPages(page, ATTENDEE_PAGE_EVENTS, total),
    };
  }

  /** `?date=` shows one of the event's dates (its tickets left); none: the next. */
  @Get('event/:id')
  @Render('events/show')
  async show(@IdParam() id: number, @Query('date') date?: unknown) {
    const event = eventOnDateForAttendees(await this.catalog.findPublished(id), date);
    return { title: event.title, event };
  }

  @Get('event/:id/calendar.ics')
  async calendarFile(@IdParam() id: number, @Res() res: Response, @Query('date') date?: unknown) {
    const file = await this.calendar.ics(id, optionalId(date));
    res
      .set('Content-Type', 'text/calendar; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  }
}
