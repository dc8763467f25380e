/**
 * How a booking is paid (PRODUCT.md "Orders"): `free` (nothing to pay), `on_site` (at the door),
 * `bank_transfer` (marked paid by the organiser), `stripe` (Checkout), `manual` (taken at the
 * box office, for bookings made through the API).
 */
export const PAYMENT_METHODS = ['free', 'on_site', 'stripe', 'bank_transfer', 'manual'] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The methods a buyer may choose on the pay page, in the order they are shown. */
export type BuyerPaymentMethod = Extract<PaymentMethod, 'stripe' | 'bank_transfer' | 'on_site'>;

/** A way to pay as the pay page offers it: its button and what choosing it means. */
export interface BuyerPaymentOption {
  method: BuyerPaymentMethod;
  label: string;
  hint: string;
}

export const BUYER_PAYMENT_OPTIONS: Record<BuyerPaymentMethod, BuyerPaymentOption> = {
  stripe: {
    method: 'stripe',
    label: 'Pay by card',
    hint: 'On Stripe’s secure page; confirmed at once.',
  },
  bank_transfer: {
    method: 'bank_transfer',
    label: 'Pay by bank transfer',
    hint: 'Your tickets stay reserved while the transfer arrives.',
  },
  on_site: {
    method: 'on_site',
    label: 'Pay at the door',
    hint: 'Confirmed now; you pay when you arrive.',
  },
};
