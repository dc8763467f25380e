import type { Request } from 'express';
import { signedCookieOptions } from '../common/http/signed-cookies';

const BOOKINGS_COOKIE = 'boxoffice.bookings';
const KEEP = 20;

/**
 * The bookings made in this browser, newest last, in a signed cookie that ends with the
 * browser session: their pages need no secret there, and nothing is stored on the server.
 */
export function rememberBooking(req: Request, reference: string): void {
  const references = rememberedBookings(req).filter((known) => known !== reference);
  req.res!.cookie(
    BOOKINGS_COOKIE,
    [...references, reference].slice(-KEEP).join('.'),
    signedCookieOptions(req),
  );
}

export function rememberedBookings(req: Request): string[] {
  const value: unknown = req.signedCookies?.[BOOKINGS_COOKIE];
  return typeof value === 'string' && value ? value.split('.') : [];
}
