import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import { Booking } from '../bookings/entities/booking.entity';

export interface PlatformStats {
  events: number;
  publishedEvents: number;
  ticketsSold: number;
  revenueCents: number;
}

@Injectable()
export class StatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async platform(): Promise<PlatformStats> {
    const manager = this.dataSource.manager;
    const [events, publishedEvents, sold, revenue] = await Promise.all([
      manager.count(Event),
      manager.countBy(Event, { status: 'published' }),
      manager.sum(TicketType, 'sold'),
      manager.sum(Booking, 'totalCents', { status: 'confirmed' }),
    ]);
    return {
      events,
      publishedEvents,
      ticketsSold: Number(sold ?? 0),
      revenueCents: Number(revenue ?? 0),
    };
  }
}
