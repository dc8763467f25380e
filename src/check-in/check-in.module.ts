import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingsModule } from '../bookings/bookings.module';
import { Booking } from '../bookings/entities/booking.entity';
import { Ticket } from '../bookings/entities/ticket.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { EventsModule } from '../events/events.module';
import { CheckInController } from './check-in.controller';
import { CheckInService } from './check-in.service';
import { TicketQrController } from './ticket-qr.controller';
import { TicketQrService } from './ticket-qr.service';

/** Tickets as QR codes, and checking bookings in at the door. */
@Module({
  imports: [TypeOrmModule.forFeature([Booking, EventDate, Ticket]), EventsModule, BookingsModule],
  controllers: [CheckInController, TicketQrController],
  providers: [CheckInService, TicketQrService],
})
export class CheckInModule {}
