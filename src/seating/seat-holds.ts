import { EntityManager, In } from 'typeorm';
import { DateSeat } from './entities/date-seat.entity';

/**
 * Takes these seats of the date for a booking, by one conditional UPDATE (`WHERE status =
 * 'free'`): on PostgreSQL a seat another transaction is taking waits for it, then counts as not
 * free if it took it. Answers how many were taken; fewer than asked and the caller rolls back.
 */
export async function takeSeats(
  manager: EntityManager,
  dateId: number,
  bookingId: number,
  seatIds: number[],
): Promise<number> {
  if (seatIds.length === 0) return 0;
  const { affected } = await manager
    .createQueryBuilder()
    .update(DateSeat)
    .set({ status: 'taken', bookingId })
    .where("date_id = :dateId AND status = 'free'", { dateId })
    .andWhere('seat_id IN (:...seatIds)', { seatIds })
    .execute();
  return affected ?? 0;
}

/**
 * Frees every seat these bookings hold. Call it only in the transaction that moved them out of
 * `pending` or `confirmed` (that makes it happen once); a seat is freed only from its booking.
 */
export async function freeSeatsOf(manager: EntityManager, bookingIds: number[]): Promise<void> {
  for (let start = 0; start < bookingIds.length; start += 500) {
    await manager.update(
      DateSeat,
      { bookingId: In(bookingIds.slice(start, start + 500)), status: 'taken' },
      { status: 'free', bookingId: null },
    );
  }
}

/** Lets go of some seats a booking took in this transaction (a block that fell apart as it was taken). */
export async function letGoOfSeats(
  manager: EntityManager,
  bookingId: number,
  seatIds: number[],
): Promise<void> {
  await manager.update(
    DateSeat,
    { bookingId, seatId: In(seatIds), status: 'taken' },
    { status: 'free', bookingId: null },
  );
}

/**
 * Takes a lapsed booking's seats again (a payment that came late): the seats its tickets name,
 * all of them or none. False when any has gone to someone else.
 */
export async function retakeSeatsOf(
  manager: EntityManager,
  dateId: number,
  booking: { id: number; seatIds: number[] },
): Promise<boolean> {
  return (await takeSeats(manager, dateId, booking.id, booking.seatIds)) === booking.seatIds.length;
}
