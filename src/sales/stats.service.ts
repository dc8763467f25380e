import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import { Booking } from '../bookings/entities/booking.entity';

export interface EventSales {
  revenueCents: number;
  confirmedBookings: number;
}

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

  /** Tickets sold and revenue of one organiser's events, all of them. */
  async forOrganiser(organiserId: number): Promise<{ ticketsSold: number; revenueCents: number }> {
    const manager = this.dataSource.manager;
    const [sold, revenue] = await Promise.all([
      manager
        .createQueryBuilder(TicketType, 'type')
        .innerJoin('type.event', 'event')
        .select('SUM(type.sold)', 'sum')
        .where('event.organiser_id = :organiserId', { organiserId })
        .getRawOne<{ sum: string | number | null }>(),
      manager
        .createQueryBuilder(Booking, 'booking')
        .innerJoin('booking.event', 'event')
        .select('SUM(booking.total_cents)', 'sum')
        .where("booking.status = 'confirmed' AND event.organiser_id = :organiserId", {
          organiserId,
        })
        .getRawOne<{ sum: string | number | null }>(),
    ]);
    return { ticketsSold: Number(sold?.sum ?? 0), revenueCents: Number(revenue?.sum ?? 0) };
  }

  /** Every ticket type's capacity, added up (the scale of the platform's chart). */
  async capacity(): Promise<number> {
    return Number((await this.dataSource.manager.sum(TicketType, 'capacity')) ?? 0);
  }

  /** Revenue and number of confirmed bookings of each of these events, in one query. */
  async byEvent(eventIds: number[]): Promise<Map<number, EventSales>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.dataSource.manager
      .createQueryBuilder(Booking, 'booking')
      .select('booking.event_id', 'eventId')
      .addSelect('SUM(booking.total_cents)', 'revenueCents')
      .addSelect('COUNT(*)', 'bookings')
      .where('booking.status = :status', { status: 'confirmed' })
      .andWhere('booking.event_id IN (:...eventIds)', { eventIds })
      .groupBy('booking.event_id')
      .getRawMany<{ eventId: number; revenueCents: string | number; bookings: string | number }>();
    return new Map(
      rows.map((row) => [
        Number(row.eventId),
        { revenueCents: Number(row.revenueCents), confirmedBookings: Number(row.bookings) },
      ]),
    );
  }
}
