import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Event } from './entities/event.entity';
import { TicketType } from './entities/ticket-type.entity';
import { EventCatalogService } from './event-catalog.service';
import { EventsService } from './events.service';
import { OrganiserEventsController } from './organiser-events.controller';
import { PublicEventsController } from './public-events.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Event, TicketType])],
  controllers: [OrganiserEventsController, PublicEventsController],
  providers: [EventsService, EventCatalogService],
  exports: [EventCatalogService],
})
export class EventsModule {}
