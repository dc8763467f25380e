import { Controller, Get, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IdParam } from '../common/http/id-param.decorator';
import { EventCalendarService } from './event-calendar.service';
import { EventCatalogService } from './event-catalog.service';
import { eventForAttendees } from './event.view';

const HOME_PAGE_EVENTS = 6;

@Controller()
export class PublicEventsController {
  constructor(
    private readonly catalog: EventCatalogService,
    private readonly calendar: EventCalendarService,
  ) {}

  @Get()
  @Render('events/home')
  async home() {
    const events = await this.catalog.listUpcoming(HOME_PAGE_EVENTS + 1);
    return {
      events: events.slice(0, HOME_PAGE_EVENTS).map((event) => eventForAttendees(event)),
      more: events.length > HOME_PAGE_EVENTS,
    };
  }

  @Get('attendee')
  @Render('events/list')
  async list() {
    const events = await this.catalog.listUpcoming();
    return { title: 'Upcoming events', events: events.map((event) => eventForAttendees(event)) };
  }

  @Get('event/:id')
  @Render('events/show')
  async show(@IdParam() id: number) {
    const event = eventForAttendees(await this.catalog.findPublished(id));
    return { title: event.title, event };
  }

  @Get('event/:id/calendar.ics')
  async calendarFile(@IdParam() id: number, @Res() res: Response) {
    const file = await this.calendar.ics(id);
    res
      .set('Content-Type', 'text/calendar; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  }
}
