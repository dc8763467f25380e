import { Injectable, NotFoundException } from '@nestjs/common';
import { BookingService } from '../bookings/booking.service';
import { AppConfig } from '../config/app-config';
import { qrSvg } from '../common/qr-svg';
import { checkInUrl } from './ticket-qr';

/** A booking's tickets as QR codes, for whoever holds the booking's secret link. */
@Injectable()
export class TicketQrService {
  constructor(
    private readonly bookings: BookingService,
    private readonly config: AppConfig,
  ) {}

  /** The SVG QR code of one ticket's check-in link; 404 without the booking's secret. */
  async svg(reference: unknown, ticketCode: string, secret: unknown): Promise<string> {
    const booking = await this.bookings.findVisible(reference, { secret });
    if (!booking.tickets.some(({ code }) => code === ticketCode))
      throw new NotFoundException('No such ticket.');
    return qrSvg(checkInUrl(this.config.publicUrl, booking.eventId, ticketCode));
  }
}
