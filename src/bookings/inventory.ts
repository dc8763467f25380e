import { EntityManager } from 'typeorm';
import { lockRow } from '../database/locks';
import { EventDate } from '../events/entities/event-date.entity';
import { Event } from '../events/entities/event.entity';
import { moveStocks } from '../events/date-stock';
import { freeSeatsOf, retakeSeatsOf } from '../seating/seat-holds';
import { Voucher } from '../vouchers/entities/voucher.entity';
import { Ticket } from './entities/ticket.entity';
import { voucherUses } from '../vouchers/voucher-pricing';
import { giveBackVoucher, redeemVoucher } from '../vouchers/voucher-usage';

/** What a booking holds of one ticket type. */
export interface HeldLine {
  ticketTypeId: number;
  quantity: number;
  /** Of `quantity`, how many come out of (or go back into) a voucher's hold rather than public sale. */
  held?: number;
}

/** A line of one date's tickets. */
export type DatedLine = HeldLine & { dateId: number };

/** Where a booking's tickets are: an event's date. */
export interface Sale {
  eventId: number;
  dateId: number;
}

/**
 * Every ticket sale and return goes through here, so that `sold` is always the items of the
 * pending and confirmed bookings, per date (and summed per type).
 *
 * Takes every line or none, while the date is still scheduled: each is a conditional UPDATE of
 * the date's inventory, the availability check and the row lock in one statement. On PostgreSQL
 * at READ COMMITTED it waits for any other transaction holding the row, then re-evaluates
 * `sold + q <= capacity` against the committed row (no read-then-write gap, so no SELECT … FOR
 * UPDATE). The event's row is locked shared first (an edit waits), the rows after it in the one
 * order moveStocks keeps, so two transactions cannot deadlock. False when one line no longer
 * fits: the caller rolls its transaction back.
 */
export async function takeTickets(
  manager: EntityManager,
  sale: Sale,
  lines: HeldLine[],
): Promise<boolean> {
  await lockRow(manager, Event, sale.eventId, 'shared');
  // Under the event's lock a date's cancel is either done (seen here) or waits for this.
  const date = await manager.findOneBy(EventDate, { id: sale.dateId });
  if (date?.status !== 'scheduled') return false;
  return takeTicketsUnderEventLock(manager, sale, lines);
}

/** As takeTickets, for a caller already holding the event's shared lock (a booking, which read the event under it). */
export function takeTicketsUnderEventLock(
  manager: EntityManager,
  sale: Sale,
  lines: HeldLine[],
): Promise<boolean> {
  return moveStocks(
    manager,
    lines.map((line) => ({
      key: { dateId: sale.dateId, ticketTypeId: line.ticketTypeId },
      change: { sold: line.quantity, reserved: -(line.held ?? 0) },
      // While people wait for this date's tickets, what comes free is theirs: the public buys none of it.
      onlyIf:
        'reserved >= :held AND sold + :quantity + reserved - :held <= capacity AND (waiting = 0 OR :quantity = :held)',
      parameters: { quantity: line.quantity, held: line.held ?? 0 },
    })),
  );
}

/**
 * Puts a booking's tickets back on sale. Call it only in the transaction whose conditional
 * UPDATE moved the booking out of `pending` or `confirmed`: that is what makes it happen once.
 */
export async function returnTickets(
  manager: EntityManager,
  sale: Sale,
  lines: HeldLine[],
): Promise<void> {
  await returnTicketsOfDates(
    manager,
    sale.eventId,
    lines.map((line) => ({ ...line, dateId: sale.dateId })),
  );
}

/** As returnTickets, for lines of any of the event's dates (a sweep of many bookings). */
export async function returnTicketsOfDates(
  manager: EntityManager,
  eventId: number,
  lines: DatedLine[],
): Promise<void> {
  await lockRow(manager, Event, eventId, 'shared');
  await moveStocks(
    manager,
    lines.map((line) => ({
      key: { dateId: line.dateId, ticketTypeId: line.ticketTypeId },
      change: { sold: -line.quantity, reserved: line.held ?? 0 },
    })),
  );
}

/**
 * The lines with `hold` applied: that many tickets of its type come out of (or go back into) a
 * reserving voucher's hold instead of public sale. No hold: the lines as they are.
 */
export function withHold(
  lines: HeldLine[],
  hold: { ticketTypeId: number | null; quantity: number } | undefined,
): HeldLine[] {
  if (!hold) return lines;
  return lines.map((line) =>
    line.ticketTypeId === hold.ticketTypeId ? { ...line, held: hold.quantity } : line,
  );
}

/** What a booking is: where it sells, what it holds, and the voucher it used, if any. */
export interface BookingHolding extends Sale {
  id: number;
  voucherId: number | null;
  items: HeldLine[];
}

/**
 * Ends what a booking holds: its voucher's uses go back to the voucher, its tickets into the
 * voucher's hold (while it still holds) or on sale, and its seats are free. Same once-only rule
 * as returnTickets.
 */
export async function releaseBooking(
  manager: EntityManager,
  booking: BookingHolding,
): Promise<void> {
  await returnTickets(manager, booking, await voucherReturned(manager, booking));
  await freeSeatsOf(manager, [booking.id]);
}

/** The booking's lines, once its voucher has its uses back: those the voucher holds again marked `held`. */
export async function voucherReturned(
  manager: EntityManager,
  booking: Omit<BookingHolding, 'id' | 'eventId' | 'dateId'>,
): Promise<HeldLine[]> {
  const lines = booking.items.map(({ ticketTypeId, quantity }) => ({ ticketTypeId, quantity }));
  if (booking.voucherId === null) return lines;
  return withHold(lines, await giveBackVoucher(manager, booking.voucherId, lines));
}

/**
 * Takes a lapsed booking's tickets again (a payment that came late), with its voucher's uses and
 * the seats its tickets name, all or nothing: false when any is gone, and the caller rolls back.
 */
export async function retakeBooking(
  manager: EntityManager,
  booking: BookingHolding,
): Promise<boolean> {
  let lines: HeldLine[] = booking.items;
  if (booking.voucherId !== null) {
    const voucher = await manager.findOneBy(Voucher, { id: booking.voucherId });
    if (voucher) {
      const uses = voucherUses(voucher, lines);
      if (!(await redeemVoucher(manager, voucher, uses, new Date()))) return false;
      if (voucher.reservesCapacity)
        lines = withHold(lines, { ticketTypeId: voucher.ticketTypeId, quantity: uses });
    }
  }
  if (!(await takeTickets(manager, booking, lines))) return false;
  const seatIds = (
    await manager.find(Ticket, { select: { seatId: true }, where: { bookingId: booking.id } })
  ).flatMap((ticket) => (ticket.seatId === null ? [] : [ticket.seatId]));
  return retakeSeatsOf(manager, booking.dateId, { id: booking.id, seatIds });
}
