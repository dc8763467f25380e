import { Body, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson, ApiProblem } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import {
  CreateEventDto,
  ListEventsQuery,
  TicketTypeDto,
  UpdateEventDto,
} from './dto/api/event.dto';
import { EventPage, EventResponse } from './dto/api/event.response';
import { eventJson } from './event.json';
import type { EventWithTicketTypes } from './event-pages';
import { completeTicketTypes, EventInput, TicketTypeChanges } from './event-input';
import { EventChanges, EventsService } from './events.service';

@AdminApiController('events')
export class EventsApiController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiJson(200, EventPage)
  async list(@Query() query: ListEventsQuery): Promise<EventPage> {
    const { events, total } = await this.events.list(query);
    const data = (await this.events.withDates(events)).map(eventJson);
    return { data, total, limit: query.limit, offset: query.offset };
  }

  @Post()
  @ApiJson(201, EventResponse, 'Created')
  async create(@CurrentUser() user: SessionUser, @Body() body: CreateEventDto) {
    return this.json(await this.events.create(user, toInput(body)));
  }

  @Get(':id')
  @ApiJson(200, EventResponse)
  async get(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.json(await this.events.findManageable(user, id));
  }

  @Patch(':id')
  @ApiJson(200, EventResponse)
  async update(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Body() body: UpdateEventDto,
  ) {
    const event = await this.events.patch(user, id, toChanges(body));
    if (body.paused == null) return this.json(event);
    await this.events.pauseQueue(user, id, body.paused);
    return this.json(await this.events.findManageable(user, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(409, 'The event has confirmed bookings')
  async remove(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    await this.events.remove(user, id);
  }

  @Post(':id/publish')
  @ApiJson(200, EventResponse)
  @HttpCode(200)
  async publish(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.json(await this.events.publish(user, id));
  }

  private async json(event: EventWithTicketTypes): Promise<EventResponse> {
    const [withDates] = await this.events.withDates([event]);
    return eventJson(withDates);
  }
}

function toInput(body: CreateEventDto): EventInput {
  return {
    description: '',
    venue: '',
    endsAt: null,
    maxTicketsPerType: 10,
    holdMinutes: 15,
    waitingListHours: 24,
    namePerTicket: false,
    queueEnabled: false,
    onSaleAt: null,
    admissionPerMinute: 300,
    admissionMinutes: 10,
    ...(toChanges(body) as Pick<EventInput, 'title' | 'startsAt'>),
    ticketTypes: completeTicketTypes([], toTicketTypeChanges(body.ticketTypes)),
  };
}

/** The fields the body names with a value (a field left out, or null, keeps what it has). */
function toChanges(body: UpdateEventDto): EventChanges {
  const changes: EventChanges = {};
  if (body.title != null) changes.title = body.title;
  if (body.description != null) changes.description = body.description;
  if (body.venue != null) changes.venue = body.venue;
  if (body.startsAt != null) changes.startsAt = new Date(body.startsAt);
  if (body.endsAt !== undefined)
    changes.endsAt = body.endsAt === null ? null : new Date(body.endsAt);
  if (body.maxTicketsPerType != null) changes.maxTicketsPerType = body.maxTicketsPerType;
  if (body.holdMinutes != null) changes.holdMinutes = body.holdMinutes;
  if (body.waitingListHours != null) changes.waitingListHours = body.waitingListHours;
  if (body.namePerTicket != null) changes.namePerTicket = body.namePerTicket;
  if (body.queueEnabled != null) changes.queueEnabled = body.queueEnabled;
  if (body.onSaleAt !== undefined)
    changes.onSaleAt = body.onSaleAt === null ? null : new Date(body.onSaleAt);
  if (body.admissionPerMinute != null) changes.admissionPerMinute = body.admissionPerMinute;
  if (body.admissionMinutes != null) changes.admissionMinutes = body.admissionMinutes;
  if (body.ticketTypes != null) changes.ticketTypes = toTicketTypeChanges(body.ticketTypes);
  return changes;
}

/** Each sent ticket type with the rules it names; a rule sent as null is cleared. */
function toTicketTypeChanges(rows: TicketTypeDto[]): TicketTypeChanges[] {
  const when = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null ? null : new Date(value);
  return rows.map((row) => ({
    ...row,
    saleStartsAt: when(row.saleStartsAt),
    saleEndsAt: when(row.saleEndsAt),
    description: row.description ?? undefined,
    minPerOrder: row.minPerOrder ?? undefined,
    maxPerOrder: row.maxPerOrder ?? undefined,
    hidden: row.hidden ?? undefined,
  }));
}
