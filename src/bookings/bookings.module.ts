import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { BookingService } from './booking.service';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { PurchaseController } from './purchase.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Booking, BookingItem]), EventsModule],
  controllers: [PurchaseController],
  providers: [BookingService],
  exports: [BookingService],
})
export class BookingsModule {}
