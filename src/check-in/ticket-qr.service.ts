import { Injectable } from '@nestjs/common';
import { BookingService } from '../bookings/booking.service';
import { AppConfig } from '../config/app-config';
import { checkInUrl, qrSvg } from './ticket-qr';

/** A booking's ticket as a QR code, for whoever holds the booking's secret link. */
@Injectable()
export class TicketQrService {
  constructor(
    private readonly bookings: BookingService,
    private readonly config: AppConfig,
  ) {}

  /** The SVG QR code of the booking's check-in link; 404 without the booking's secret. */
  async svg(reference: unknown, secret: unknown): Promise<string> {
    const booking = await this.bookings.findVisible(reference, { secret });
    return qrSvg(checkInUrl(this.config.publicUrl, booking.eventId, booking.reference));
  }
}
