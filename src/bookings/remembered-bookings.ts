import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** References of the bookings made in this browser session, newest last: their pages need no secret. */
    bookingReferences?: string[];
  }
}

const KEEP = 20;

export function rememberBooking(req: Request, reference: string): void {
  const references = (req.session.bookingReferences ?? []).filter((known) => known !== reference);
  req.session.bookingReferences = [...references, reference].slice(-KEEP);
}

export function rememberedBookings(req: Request): string[] {
  return req.session?.bookingReferences ?? [];
}
