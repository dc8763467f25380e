import { EntityManager } from 'typeorm';
import { groupBy } from '../common/group-by';
import { SeatingSection } from './entities/seating-section.entity';
import { Seat } from './entities/seat.entity';
import type { MapInput } from './map-plan';

/** A seat as buyers and organisers see it on one date. */
export type SeatStatus = 'free' | 'held' | 'sold' | 'unavailable';

export interface MapSeat {
  id: number;
  label: string;
  ticketTypeId: number;
  x: number;
  y: number;
  status: SeatStatus;
}

export interface MapRow {
  label: string;
  seats: MapSeat[];
}

export interface MapSection {
  id: number;
  name: string;
  rows: MapRow[];
}

/**
 * The event's seat map with every seat's status on one date: taken seats are held while their
 * booking is pending and sold once it is confirmed (bookings stand above seating: their table is
 * named, not their entity). Sections in order, rows from the stage back, seats along the row.
 */
export async function readSeatMap(
  manager: EntityManager,
  eventId: number,
  dateId: number,
): Promise<MapSection[]> {
  const [sections, seats] = await Promise.all([
    manager.find(SeatingSection, { where: { eventId }, order: { sortOrder: 'ASC', id: 'ASC' } }),
    seatsOnDate(manager, eventId, dateId)
      .select([
        'seat.id AS id',
        'seat.section_id AS "sectionId"',
        'seat.row_label AS "rowLabel"',
        'seat.label AS label',
        'seat.ticket_type_id AS "ticketTypeId"',
        'seat.x AS x',
        'seat.y AS y',
        'seat.unavailable AS unavailable',
        'state.status AS state',
        'booking.status AS "bookingStatus"',
      ])
      .orderBy('seat.section_id')
      .addOrderBy('seat.row_index')
      .addOrderBy('seat.seat_index')
      .getRawMany<SeatRow>(),
  ]);
  const seatsOf = groupBy(seats, (seat) => Number(seat.sectionId));
  return sections.map((section) => ({
    id: section.id,
    name: section.name,
    rows: [...groupBy(seatsOf.get(section.id) ?? [], (seat) => seat.rowLabel)].map(
      ([label, row]) => ({
        label,
        seats: row.map(mapSeat),
      }),
    ),
  }));
}

/**
 * The event's seats, each with its state on `dateId` (`state`; none: free) and the booking that
 * took it (`booking`; bookings stand above seating: their table is named, not their entity).
 */
function seatsOnDate(manager: EntityManager, eventId: number, dateId: number) {
  return manager
    .createQueryBuilder(Seat, 'seat')
    .leftJoin('date_seats', 'state', 'state.seat_id = seat.id AND state.date_id = :dateId', {
      dateId,
    })
    .leftJoin('bookings', 'booking', 'booking.id = state.booking_id')
    .where('seat.event_id = :eventId', { eventId });
}

interface SeatRow {
  id: number;
  sectionId: number;
  rowLabel: string;
  label: string;
  ticketTypeId: number;
  x: number;
  y: number;
  unavailable: boolean | number;
  state: string | null;
  bookingStatus: string | null;
}

function mapSeat(seat: SeatRow): MapSeat {
  return {
    id: Number(seat.id),
    label: seat.label,
    ticketTypeId: Number(seat.ticketTypeId),
    x: Number(seat.x),
    y: Number(seat.y),
    status: statusOf(seat),
  };
}

function statusOf(seat: Pick<SeatRow, 'unavailable' | 'state' | 'bookingStatus'>): SeatStatus {
  if (seat.unavailable === true || seat.unavailable === 1 || seat.state === 'unavailable')
    return 'unavailable';
  if (seat.state !== 'taken') return 'free';
  return seat.bookingStatus === 'confirmed' ? 'sold' : 'held';
}

/** How many of an event's seats stand in each status on one date. */
export type SeatCounts = Record<SeatStatus, number>;

/** The event's seats on `dateId` counted by status, as `readSeatMap` tells each one's. */
export async function countSeats(
  manager: EntityManager,
  eventId: number,
  dateId: number,
): Promise<SeatCounts> {
  const groups = await seatsOnDate(manager, eventId, dateId)
    .select([
      'seat.unavailable AS unavailable',
      'state.status AS state',
      'booking.status AS "bookingStatus"',
      'COUNT(*) AS seats',
    ])
    .groupBy('seat.unavailable')
    .addGroupBy('state.status')
    .addGroupBy('booking.status')
    .getRawMany<Pick<SeatRow, 'unavailable' | 'state' | 'bookingStatus'> & { seats: string }>();
  const counts: SeatCounts = { free: 0, held: 0, sold: 0, unavailable: 0 };
  for (const group of groups) counts[statusOf(group)] += Number(group.seats);
  return counts;
}

/** The event's map as it is edited and sent whole again: every seat with its id and flags. */
export async function readEditableMap(manager: EntityManager, eventId: number): Promise<MapInput> {
  const [sections, seats] = await Promise.all([
    manager.find(SeatingSection, { where: { eventId }, order: { sortOrder: 'ASC', id: 'ASC' } }),
    manager.find(Seat, {
      where: { eventId },
      order: { sectionId: 'ASC', rowIndex: 'ASC', seatIndex: 'ASC' },
    }),
  ]);
  const seatsOf = groupBy(seats, (seat) => seat.sectionId);
  return {
    sections: sections.map((section) => ({
      name: section.name,
      rows: [...groupBy(seatsOf.get(section.id) ?? [], (seat) => seat.rowIndex).values()].map(
        (row) => ({
          label: row[0].rowLabel,
          seats: row.map(({ id, label, ticketTypeId, x, y, unavailable }) => ({
            id,
            label,
            ticketTypeId,
            x,
            y,
            unavailable,
          })),
        }),
      ),
    })),
  };
}
