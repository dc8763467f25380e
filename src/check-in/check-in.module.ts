import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { TicketQrController } from './ticket-qr.controller';
import { TicketQrService } from './ticket-qr.service';

/** Tickets as QR codes, and checking bookings in at the door. */
@Module({
  imports: [BookingsModule],
  controllers: [TicketQrController],
  providers: [TicketQrService],
})
export class CheckInModule {}
