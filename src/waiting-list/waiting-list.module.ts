import { Module } from '@nestjs/common';
import { CancelledDateEntries } from './cancelled-date-entries';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DateInventory } from '../events/entities/date-inventory.entity';
import { AuthModule } from '../auth/auth.module';
import { TicketType } from '../events/entities/ticket-type.entity';
import { EventsModule } from '../events/events.module';
import { WaitingListEntry } from './entities/waiting-list-entry.entity';
import { WaitingListApiController } from './waiting-list.api.controller';
import { WaitingListController } from './waiting-list.controller';
import { WaitingListOffers } from './waiting-list-offers';
import { WaitingListService } from './waiting-list.service';

/** Waiting lists of sold-out ticket types, and the offers that hand freed tickets to them in order. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WaitingListEntry, TicketType, DateInventory]),
    EventsModule,
    AuthModule,
  ],
  controllers: [WaitingListController, WaitingListApiController],
  providers: [WaitingListService, WaitingListOffers, CancelledDateEntries],
  exports: [WaitingListService],
})
export class WaitingListModule {}
