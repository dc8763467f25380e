import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { SettingsModule } from '../settings/settings.module';
import { Event } from './entities/event.entity';
import { DateInventory } from './entities/date-inventory.entity';
import { EventDate } from './entities/event-date.entity';
import { TicketType } from './entities/ticket-type.entity';
import { EventDatesApiController } from './dates/event-dates.api.controller';
import { EventDatesController } from './dates/event-dates.controller';
import { EventDatesService } from './dates/event-dates.service';
import { EventCalendarService } from './event-calendar.service';
import { EventCatalogService } from './event-catalog.service';
import { EventsApiController } from './events.api.controller';
import { EventsService } from './events.service';
import { OrganiserEventsController } from './organiser-events.controller';
import { PublicEventsController } from './public-events.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Event, EventDate, DateInventory, TicketType]),
    AuthModule,
    SettingsModule,
  ],
  controllers: [
    OrganiserEventsController,
    PublicEventsController,
    EventsApiController,
    EventDatesApiController,
    EventDatesController,
  ],
  providers: [EventsService, EventDatesService, EventCatalogService, EventCalendarService],
  exports: [EventCatalogService, EventsService, EventDatesService],
})
export class EventsModule {}
