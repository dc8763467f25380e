/** Where a held booking is paid: the link the buy form leads to and the payment-due mail carries. */
export const payPagePath = (booking: { reference: string; secret: string }) =>
  `/booking/${booking.reference}/pay?secret=${encodeURIComponent(booking.secret)}`;
