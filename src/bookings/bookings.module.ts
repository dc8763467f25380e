import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { PaymentsModule } from '../payments/payments.module';
import { EventsModule } from '../events/events.module';
import { BookingPagesController } from './booking-pages.controller';
import { BookingService } from './booking.service';
import { DeletedEventBookings } from './deleted-event-bookings';
import { BookingsApiController } from './bookings.api.controller';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { EventBookingsService } from './event-bookings.service';
import { PurchaseController } from './purchase.controller';
import { PayController } from './pay.controller';
import { HoldSweeper } from './hold-sweeper';
import { BookingPaymentsService } from './booking-payments.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Booking, BookingItem]),
    EventsModule,
    AuthModule,
    PaymentsModule,
  ],
  controllers: [PurchaseController, PayController, BookingPagesController, BookingsApiController],
  providers: [
    BookingService,
    BookingPaymentsService,
    EventBookingsService,
    DeletedEventBookings,
    HoldSweeper,
  ],
  exports: [BookingService],
})
export class BookingsModule {}
