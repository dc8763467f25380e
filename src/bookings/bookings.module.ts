import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { EventDate } from '../events/entities/event-date.entity';
import { EventsModule } from '../events/events.module';
import { PaymentsModule } from '../payments/payments.module';
import { SeatingModule } from '../seating/seating.module';
import { QueueModule } from '../queue/queue.module';
import { SettingsModule } from '../settings/settings.module';
import { VouchersModule } from '../vouchers/vouchers.module';
import { BookingPagesController } from './booking-pages.controller';
import { BookingPaymentsService } from './booking-payments.service';
import { BookingService } from './booking.service';
import { BookingsApiController } from './bookings.api.controller';
import { CancelledDateBookings } from './cancelled-date-bookings';
import { CardPaymentsService } from './card-payments.service';
import { DateCancellationApiController } from './date-cancellation.api.controller';
import { DateCancellationController } from './date-cancellation.controller';
import { DateCancellation } from './date-cancellation.service';
import { DeletedEventBookings } from './deleted-event-bookings';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { EventBookingsService } from './event-bookings.service';
import { HoldSweeper } from './hold-sweeper';
import { PayController } from './pay.controller';
import { PurchaseController } from './purchase.controller';
import { StripeWebhookController } from './stripe-webhook.controller';
import { RefundsController } from './refunds.controller';
import { BookingRefundsService } from './booking-refunds.service';
import { Refund } from './entities/refund.entity';
import { Ticket } from './entities/ticket.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([Booking, BookingItem, Refund, Ticket, EventDate]),
    EventsModule,
    AuthModule,
    PaymentsModule,
    SettingsModule,
    VouchersModule,
    SeatingModule,
    QueueModule,
  ],
  controllers: [
    PurchaseController,
    PayController,
    StripeWebhookController,
    RefundsController,
    BookingPagesController,
    BookingsApiController,
    DateCancellationApiController,
    DateCancellationController,
  ],
  providers: [
    BookingService,
    BookingPaymentsService,
    CardPaymentsService,
    BookingRefundsService,
    EventBookingsService,
    DeletedEventBookings,
    HoldSweeper,
    DateCancellation,
    CancelledDateBookings,
  ],
  exports: [BookingService],
})
export class BookingsModule {}
