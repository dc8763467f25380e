/*
 * The links to a booking's pages that carry its secret: built here only, so every page, mail
 * and redirect leads to the same place.
 */
type Linked = { reference: string; secret: string };
const secretOf = (booking: Linked) => `secret=${encodeURIComponent(booking.secret)}`;

/** Where a held booking is paid: the link the buy form leads to and the payment-due mail carries. */
export const payPagePath = (booking: Linked) =>
  `/booking/${booking.reference}/pay?${secretOf(booking)}`;

/** The booking's own page: its status, tickets and cancel button. */
export const bookingPagePath = (booking: Linked) =>
  `/booking/${booking.reference}?${secretOf(booking)}`;

/** The page that confirms a purchase. */
export const successPagePath = (booking: Linked) =>
  `/purchase/success?ref=${booking.reference}&${secretOf(booking)}`;
