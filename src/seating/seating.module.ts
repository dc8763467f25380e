import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { DateSeat } from './entities/date-seat.entity';
import { SeatingSection } from './entities/seating-section.entity';
import { Seat } from './entities/seat.entity';
import { SeatedDates } from './seated-dates';
import { SeatingApiController } from './seating.api.controller';
import { SeatingController } from './seating.controller';
import { SeatingService } from './seating.service';

/** Reserved seating: an event's seat map, and each seat's state on each of its dates. */
@Module({
  imports: [TypeOrmModule.forFeature([SeatingSection, Seat, DateSeat]), AuthModule, EventsModule],
  controllers: [SeatingApiController, SeatingController],
  providers: [SeatingService, SeatedDates],
  exports: [SeatingService],
})
export class SeatingModule {}
