import type { Request } from 'express';
import { signedCookieOptions } from '../common/http/signed-cookies';

const BOOKINGS_COOKIE = 'boxoffice.bookings';
const KEEP = 20;
/** As long as a visitor's session: two hours after the browser's last booking. */
export const REMEMBER_BOOKINGS_MS = 2 * 60 * 60 * 1000;

interface Remembered {
  references: string[];
  /** Signed with the references: a copy of the cookie kept past this time shows nothing. */
  until: number;
}

/**
 * The bookings made in this browser, newest last, in a signed cookie: their pages need no
 * secret there for two hours, and nothing is stored on the server. Logging out forgets them.
 */
export function rememberBooking(req: Request, reference: string): void {
  const references = rememberedBookings(req).filter((known) => known !== reference);
  const remembered: Remembered = {
    references: [...references, reference].slice(-KEEP),
    until: Date.now() + REMEMBER_BOOKINGS_MS,
  };
  req.res!.cookie(BOOKINGS_COOKIE, remembered, {
    ...signedCookieOptions(req),
    maxAge: REMEMBER_BOOKINGS_MS,
  });
}

export function rememberedBookings(req: Request): string[] {
  const value = req.signedCookies?.[BOOKINGS_COOKIE] as Partial<Remembered> | undefined;
  if (typeof value?.until !== 'number' || value.until <= Date.now()) return [];
  if (!Array.isArray(value.references)) return [];
  return value.references.filter((reference) => typeof reference === 'string');
}
