import type { BookingDetails } from './booking.service';
import type { BookingResponse } from './dto/api/booking.response';

/** The API's booking shape (PRODUCT.md "Booking JSON"); never the secret. */
export function bookingJson(booking: BookingDetails): BookingResponse {
  return {
    reference: booking.reference,
    eventId: booking.eventId,
    attendeeName: booking.attendeeName,
    attendeeEmail: booking.attendeeEmail,
    status: booking.status,
    totalCents: booking.totalCents,
    items: booking.items.map((item) => ({
      ticketTypeId: item.ticketTypeId,
      name: item.name,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
    createdAt: booking.createdAt.toISOString(),
    cancelledAt: booking.cancelledAt?.toISOString() ?? null,
    checkedInAt: booking.checkedInAt?.toISOString() ?? null,
    expiresAt: booking.expiresAt?.toISOString() ?? null,
    paymentMethod: booking.paymentMethod,
    paidAt: booking.paidAt?.toISOString() ?? null,
    refundedCents: booking.refundedCents,
    voucherCode: booking.voucherCode,
    dateId: booking.dateId,
    dateStartsAt: booking.dateStartsAt.toISOString(),
    tickets: booking.tickets.map((ticket) => ({
      code: ticket.code,
      ticketTypeId: ticket.ticketTypeId,
      attendeeName: ticket.attendeeName,
      seat: ticket.seat,
      checkedInAt: ticket.checkedInAt?.toISOString() ?? null,
    })),
  };
}
