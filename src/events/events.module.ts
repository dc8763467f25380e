import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { SettingsModule } from '../settings/settings.module';
import { Event } from './entities/event.entity';
import { EventDate } from './entities/event-date.entity';
import { TicketType } from './entities/ticket-type.entity';
import { EventCalendarService } from './event-calendar.service';
import { EventCatalogService } from './event-catalog.service';
import { EventsApiController } from './events.api.controller';
import { EventsService } from './events.service';
import { OrganiserEventsController } from './organiser-events.controller';
import { PublicEventsController } from './public-events.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Event, EventDate, TicketType]), AuthModule, SettingsModule],
  controllers: [OrganiserEventsController, PublicEventsController, EventsApiController],
  providers: [EventsService, EventCatalogService, EventCalendarService],
  exports: [EventCatalogService, EventsService],
})
export class EventsModule {}
