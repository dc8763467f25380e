import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { Booking } from '../bookings/entities/booking.entity';
import { BookingItem } from '../bookings/entities/booking-item.entity';
import { Event } from '../events/entities/event.entity';
import { Voucher } from '../vouchers/entities/voucher.entity';
import { TicketType } from '../events/entities/ticket-type.entity';

/** The money of a set of bookings, in integer cents. */
export interface Money {
  /** Confirmed bookings' totals, less what was refunded of them. */
  revenueCents: number;
  /** Money actually received (paid bookings), less refunds. */
  receivedCents: number;
  /** Confirmed bookings still to be paid at the door. */
  dueCents: number;
}

export interface EventSales extends Money {
  confirmedBookings: number;
}

export interface PlatformStats {
  events: number;
  publishedEvents: number;
  ticketsSold: number;
  revenueCents: number;
  receivedCents: number;
}

/** Tickets of one ticket type by what their bookings are at. */
export interface TicketTypeSales {
  /** Held: pending bookings waiting for payment. */
  held: number;
  /** Of confirmed bookings. */
  confirmed: number;
  /** Of confirmed bookings whose money arrived (or that cost nothing). */
  paid: number;
}

const CONFIRMED = "booking.status = 'confirmed'";
const PAID = 'booking.paid_at IS NOT NULL';

/** Adds the sums of Money to a query over `booking`. */
const withMoney = <T extends object>(query: SelectQueryBuilder<T>) =>
  query
    .addSelect(
      `COALESCE(SUM(CASE WHEN ${CONFIRMED} THEN booking.total_cents - booking.refunded_cents ELSE 0 END), 0)`,
      'revenueCents',
    )
    .addSelect(
      `COALESCE(SUM(CASE WHEN ${PAID} THEN booking.total_cents - booking.refunded_cents ELSE 0 END), 0)`,
      'receivedCents',
    )
    .addSelect(
      `COALESCE(SUM(CASE WHEN ${CONFIRMED} AND NOT ${PAID} AND booking.payment_method <> 'free' THEN booking.total_cents ELSE 0 END), 0)`,
      'dueCents',
    );

// PostgreSQL returns sums and counts as strings.
const moneyOf = (row?: Record<string, unknown>): Money => ({
  revenueCents: Number(row?.revenueCents ?? 0),
  receivedCents: Number(row?.receivedCents ?? 0),
  dueCents: Number(row?.dueCents ?? 0),
});

@Injectable()
export class StatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async platform(): Promise<PlatformStats> {
    const manager = this.dataSource.manager;
    const [events, publishedEvents, sold, money] = await Promise.all([
      manager.count(Event),
      manager.countBy(Event, { status: 'published' }),
      manager.sum(TicketType, 'sold'),
      withMoney(manager.createQueryBuilder(Booking, 'booking').select('COUNT(*)', 'bookings'))
        .getRawOne<Record<string, unknown>>()
        .then(moneyOf),
    ]);
    const { revenueCents, receivedCents } = money;
    return { events, publishedEvents, ticketsSold: Number(sold ?? 0), revenueCents, receivedCents };
  }

  /** Tickets sold and money of one organisation's events, all of them. */
  async forOrganisation(organisationId: number): Promise<{ ticketsSold: number } & Money> {
    const manager = this.dataSource.manager;
    const [sold, money] = await Promise.all([
      manager
        .createQueryBuilder(TicketType, 'type')
        .innerJoin('type.event', 'event')
        .select('SUM(type.sold)', 'sum')
        .where('event.organisation_id = :organisationId', { organisationId })
        .getRawOne<{ sum: string | number | null }>(),
      withMoney(
        manager
          .createQueryBuilder(Booking, 'booking')
          .innerJoin('booking.event', 'event')
          .select('COUNT(*)', 'bookings')
          .where('event.organisation_id = :organisationId', { organisationId }),
      )
        .getRawOne<Record<string, unknown>>()
        .then(moneyOf),
    ]);
    return { ticketsSold: Number(sold?.sum ?? 0), ...money };
  }

  /** Every ticket type's capacity, added up (the scale of the platform's chart). */
  async capacity(): Promise<number> {
    return Number((await this.dataSource.manager.sum(TicketType, 'capacity')) ?? 0);
  }

  /** Money and number of confirmed bookings of each of these events, in one query. */
  async byEvent(eventIds: number[]): Promise<Map<number, EventSales>> {
    if (eventIds.length === 0) return new Map();
    const rows = await withMoney(
      this.dataSource.manager
        .createQueryBuilder(Booking, 'booking')
        .select('booking.event_id', 'eventId')
        .addSelect(`COUNT(CASE WHEN ${CONFIRMED} THEN 1 END)`, 'bookings')
        .where('booking.event_id IN (:...eventIds)', { eventIds })
        .groupBy('booking.event_id'),
    ).getRawMany<Record<string, unknown>>();
    return new Map(
      rows.map((row) => [
        Number(row.eventId),
        { ...moneyOf(row), confirmedBookings: Number(row.bookings) },
      ]),
    );
  }

  /** Held, confirmed and paid tickets of each ticket type of these events, in one query. */
  async byTicketType(eventIds: number[]): Promise<Map<number, TicketTypeSales>> {
    if (eventIds.length === 0) return new Map();
    const sum = (condition: string) =>
      `COALESCE(SUM(CASE WHEN ${condition} THEN item.quantity ELSE 0 END), 0)`;
    const rows = await this.dataSource.manager
      .createQueryBuilder(BookingItem, 'item')
      .innerJoin('item.booking', 'booking')
      .select('item.ticket_type_id', 'ticketTypeId')
      .addSelect(sum("booking.status = 'pending'"), 'held')
      .addSelect(sum(CONFIRMED), 'confirmed')
      .addSelect(sum(`${CONFIRMED} AND (${PAID} OR booking.payment_method = 'free')`), 'paid')
      .where('booking.event_id IN (:...eventIds)', { eventIds })
      .groupBy('item.ticket_type_id')
      .getRawMany<Record<string, unknown>>();
    return new Map(
      rows.map((row) => [
        Number(row.ticketTypeId),
        { held: Number(row.held), confirmed: Number(row.confirmed), paid: Number(row.paid) },
      ]),
    );
  }

  /** Tickets bought with vouchers (pending and confirmed), per event. */
  async vouchersRedeemed(eventIds: number[]): Promise<Map<number, number>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.dataSource.manager
      .createQueryBuilder(Voucher, 'voucher')
      .select('voucher.event_id', 'eventId')
      .addSelect('COALESCE(SUM(voucher.redeemed), 0)', 'redeemed')
      .where('voucher.event_id IN (:...eventIds)', { eventIds })
      .groupBy('voucher.event_id')
      .getRawMany<Record<string, unknown>>();
    return new Map(rows.map((row) => [Number(row.eventId), Number(row.redeemed)]));
  }
}
