import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Booking } from '../bookings/entities/booking.entity';
import { HourlySales } from './sales-chart';

@Injectable()
export class SalesTimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Tickets of confirmed bookings per event and UTC hour, in one query. Hours, not
   * single bookings, so the rows stay few however many bookings an event has;
   * salesChart turns them into days when the span is long.
   */
  async hourlyTicketsSold(eventIds: number[]): Promise<Map<number, HourlySales[]>> {
    const byEvent = new Map<number, HourlySales[]>();
    if (eventIds.length === 0) return byEvent;
    const hour = this.utcHourOf('booking.created_at');
    const rows = await this.dataSource.manager
      .createQueryBuilder(Booking, 'booking')
      .innerJoin('booking.items', 'item')
      .select('booking.event_id', 'eventId')
      .addSelect(hour, 'hour')
      .addSelect('SUM(item.quantity)', 'tickets')
      .where('booking.status = :status', { status: 'confirmed' })
      .andWhere('booking.event_id IN (:...eventIds)', { eventIds })
      .groupBy('booking.event_id')
      .addGroupBy(hour)
      .getRawMany<{ eventId: number; hour: string; tickets: string | number }>();
    for (const row of rows) {
      const eventId = Number(row.eventId);
      const sales = byEvent.get(eventId) ?? [];
      sales.push({
        hour: new Date(`${row.hour.replace(' ', 'T')}Z`),
        tickets: Number(row.tickets),
      });
      byEvent.set(eventId, sales);
    }
    return byEvent;
  }

  /** `YYYY-MM-DD HH:00:00` in UTC: the one date function SQLite and PostgreSQL do not share. */
  private utcHourOf(column: string): string {
    return this.dataSource.options.type === 'postgres'
      ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:00:00')`
      : `strftime('%Y-%m-%d %H:00:00', ${column})`;
  }
}
