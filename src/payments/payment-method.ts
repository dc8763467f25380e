/**
 * How a booking is paid (PRODUCT.md "Orders"): `free` (nothing to pay), `on_site` (at the door),
 * `bank_transfer` (marked paid by the organiser), `stripe` (Checkout), `manual` (taken at the
 * box office, for bookings made through the API).
 */
export const PAYMENT_METHODS = ['free', 'on_site', 'stripe', 'bank_transfer', 'manual'] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The methods a buyer may choose on the pay page, in the order they are shown. */
export type BuyerPaymentMethod = Extract<PaymentMethod, 'stripe' | 'bank_transfer' | 'on_site'>;
