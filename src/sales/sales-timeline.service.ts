import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Booking } from '../bookings/entities/booking.entity';
import { HourlySales } from './sales-chart';

interface HourRow {
  hour: string;
  tickets: string | number;
}

const hourlySales = (row: HourRow): HourlySales => ({
  hour: new Date(`${row.hour.replace(' ', 'T')}Z`),
  tickets: Number(row.tickets),
});

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
    const rows = await this.hourlyQuery()
      .addSelect('booking.event_id', 'eventId')
      .andWhere('booking.event_id IN (:...eventIds)', { eventIds })
      .addGroupBy('booking.event_id')
      .getRawMany<HourRow & { eventId: number }>();
    for (const row of rows) {
      const eventId = Number(row.eventId);
      const hours = byEvent.get(eventId);
      if (hours) hours.push(hourlySales(row));
      else byEvent.set(eventId, [hourlySales(row)]);
    }
    return byEvent;
  }

  /** The same for one date of an event. */
  async hourlyTicketsSoldOn(dateId: number): Promise<HourlySales[]> {
    const rows = await this.hourlyQuery()
      .andWhere('booking.date_id = :dateId', { dateId })
      .getRawMany<HourRow>();
    return rows.map(hourlySales);
  }

  /** The same for every event on the platform together (the admin's chart). */
  async platformHourlyTicketsSold(): Promise<HourlySales[]> {
    const rows = await this.hourlyQuery().getRawMany<HourRow>();
    return rows.map(hourlySales);
  }

  private hourlyQuery() {
    const hour = this.utcHourOf('booking.created_at');
    return this.dataSource.manager
      .createQueryBuilder(Booking, 'booking')
      .innerJoin('booking.items', 'item')
      .select(hour, 'hour')
      .addSelect('SUM(item.quantity)', 'tickets')
      .where('booking.status = :status', { status: 'confirmed' })
      .groupBy(hour);
  }

  /** `YYYY-MM-DD HH:00:00` in UTC: the one date function SQLite and PostgreSQL do not share. */
  private utcHourOf(column: string): string {
    return this.dataSource.options.type === 'postgres'
      ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:00:00')`
      : `strftime('%Y-%m-%d %H:00:00', ${column})`;
  }
}
