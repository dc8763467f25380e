import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { BookingPagesController } from './booking-pages.controller';
import { BookingService } from './booking.service';
import { DeletedEventBookings } from './deleted-event-bookings';
import { BookingsApiController } from './bookings.api.controller';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { EventBookingsService } from './event-bookings.service';
import { PurchaseController } from './purchase.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Booking, BookingItem]), EventsModule, AuthModule],
  controllers: [PurchaseController, BookingPagesController, BookingsApiController],
  providers: [BookingService, EventBookingsService, DeletedEventBookings],
  exports: [BookingService],
})
export class BookingsModule {}
