import { ConflictException, HttpStatus } from '@nestjs/common';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import type { BookingDetails } from './booking.service';

/** Fewer tickets left than asked for, for at least one line: nothing was booked. */
export class SoldOutError extends ConflictException {
  constructor() {
    super('Sorry, there are not enough tickets left for this order. Nothing was booked.');
  }
}

/** The event has started: sales are closed. */
export class SalesClosedError extends ConflictException {
  constructor() {
    super('Sales for this event have closed.');
  }
}

/** An attendee asked to cancel a paid booking: the money goes back by a refund, through the organiser. */
export class PaidBookingError extends ConflictException {
  constructor() {
    super('This booking is paid: to cancel it, ask the organiser for a refund.');
  }
}

/** An idempotency key already used for a different order (another event, buyer or quantities). */
export class IdempotencyKeyReusedError extends ConflictException {
  constructor() {
    super(
      'This order form was already used for a different booking. Please reload the page and try again.',
    );
  }
}

/**
 * One line of an order refused (a ticket type of another event, listed twice, or
 * too many): the buy form shows it at `quantities`, the API at `items.<index>.<field>`.
 */
export class InvalidOrderLineError extends InvalidFieldError {
  constructor(lineIndex: number, lineField: 'ticketTypeId' | 'quantity', message: string) {
    super(
      'quantities',
      message,
      HttpStatus.UNPROCESSABLE_ENTITY,
      `items.${lineIndex}.${lineField}`,
    );
  }
}

/** A line's names do not fit its tickets: the buy form shows it at `ticketNames.<ticketTypeId>`. */
export class TicketNamesError extends InvalidFieldError {
  constructor(lineIndex: number, ticketTypeId: number, message: string) {
    super(
      `ticketNames.${ticketTypeId}`,
      message,
      HttpStatus.UNPROCESSABLE_ENTITY,
      `items.${lineIndex}.attendeeNames`,
    );
  }
}

/** A seat picked went to someone else first: the form shows it at `seats`, the API answers 409 at `seatIds`. */
export class SeatTakenError extends InvalidFieldError {
  constructor() {
    super(
      'seats',
      'One of the seats you picked has just been taken: pick another. Nothing was booked.',
      HttpStatus.UNPROCESSABLE_ENTITY,
      'seatIds',
    );
    this.apiStatus = HttpStatus.CONFLICT;
  }
}

/** No row has that many free seats of the type together: 409 on the API. */
export class NoSeatsTogetherError extends InvalidFieldError {
  constructor(ticketTypeId: number, message: string) {
    super(
      `bestAvailable.${ticketTypeId}`,
      message,
      HttpStatus.UNPROCESSABLE_ENTITY,
      'bestAvailable',
    );
    this.apiStatus = HttpStatus.CONFLICT;
  }
}

/** A line asks for a ticket type outside its sale window: the form says so (422), the API answers 409. */
export class OffSaleError extends InvalidOrderLineError {
  constructor(lineIndex: number, message: string) {
    super(lineIndex, 'ticketTypeId', message);
    this.apiStatus = HttpStatus.CONFLICT;
  }
}

/** The booking is no longer held (paid, lapsed or cancelled): nothing was changed. */
export class NotPendingError extends ConflictException {
  constructor(booking: Pick<BookingDetails, 'status'>) {
    super(
      booking.status === 'pending'
        ? 'The time to pay for this booking is over: its tickets are going back on sale.'
        : `This booking is ${booking.status}: there is nothing left to pay here.`,
    );
  }
}
