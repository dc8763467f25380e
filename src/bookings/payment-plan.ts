import type { Event } from '../events/entities/event.entity';
import type { BuyerPaymentMethod, PaymentMethod } from '../payments/payment-method';
import type { BookingStatus } from './entities/booking.entity';

/** How an order with a total above 0 is to be paid (a free one is always confirmed as `free`). */
export type PaymentPlan =
  /** Confirmed at once: paid at the door, or taken at the box office (API bookings). */
  | { confirmAs: Extract<PaymentMethod, 'on_site' | 'manual'> }
  /** Held for the event's `hold_minutes` while the buyer chooses how to pay, on the pay page. */
  | { hold: 'until_chosen' }
  /** Held `days` for a bank transfer to arrive. */
  | { hold: 'bank_transfer'; days: number };

export interface BookingTerms {
  status: Extract<BookingStatus, 'pending' | 'confirmed'>;
  paymentMethod: PaymentMethod | null;
  expiresAt: Date | null;
  paidAt: Date | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The status, method and deadline a new booking gets. */
export function bookingTerms(
  plan: PaymentPlan,
  totalCents: number,
  event: Pick<Event, 'holdMinutes' | 'startsAt'>,
  now: Date,
): BookingTerms {
  const confirmed = { status: 'confirmed', expiresAt: null } as const;
  if (totalCents === 0) return { ...confirmed, paymentMethod: 'free', paidAt: null };
  if ('confirmAs' in plan) {
    // Money taken at the box office is in hand; money due at the door is not, yet.
    const paidAt = plan.confirmAs === 'manual' ? now : null;
    return { ...confirmed, paymentMethod: plan.confirmAs, paidAt };
  }
  return plan.hold === 'bank_transfer'
    ? {
        status: 'pending',
        paymentMethod: 'bank_transfer',
        expiresAt: bankTransferHoldEnd(now, plan.days, event.startsAt),
        paidAt: null,
      }
    : {
        status: 'pending',
        paymentMethod: null,
        expiresAt: holdEnd(now, event.holdMinutes * MINUTE, event.startsAt),
        paidAt: null,
      };
}

/** A hold of `durationMs` from `now`, but never past the event's start. */
export const holdEnd = (now: Date, durationMs: number, eventStartsAt: Date): Date =>
  new Date(Math.min(now.getTime() + durationMs, eventStartsAt.getTime()));

export const bankTransferHoldEnd = (now: Date, days: number, eventStartsAt: Date): Date =>
  holdEnd(now, days * DAY, eventStartsAt);

/** Part 1's flow, and the default while paying at the door is the only method offered. */
export const PAY_AT_THE_DOOR: PaymentPlan = { confirmAs: 'on_site' };

/**
 * A buy form's order: confirmed at once when paying at the door is all the site offers (Part 1's
 * flow), otherwise held while the buyer chooses how to pay.
 */
export const planForBuyer = (offered: BuyerPaymentMethod[]): PaymentPlan =>
  offered.length === 1 && offered[0] === 'on_site' ? PAY_AT_THE_DOOR : { hold: 'until_chosen' };
