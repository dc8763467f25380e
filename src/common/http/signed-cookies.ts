import cookieParser from 'cookie-parser';
import type { CookieOptions, Request, RequestHandler } from 'express';
import { createHmac } from 'node:crypto';

/**
 * Parses cookies, and checks the signature of the ones this site signs (a visitor's flash
 * messages and remembered bookings): a cookie changed in the browser is simply absent.
 */
export function signedCookies(sessionSecret: string): RequestHandler {
  return cookieParser(createHmac('sha256', sessionSecret).update('signed cookies').digest('hex'));
}

/** For a signed cookie that lives as long as the browser session: HttpOnly, SameSite=Lax. */
export function signedCookieOptions(req: Request): CookieOptions {
  return { signed: true, httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
}

/** Forgets what this site remembered about the browser in signed cookies (at logout). */
export function forgetSignedCookies(req: Request): void {
  for (const name of Object.keys(req.signedCookies ?? {})) {
    req.res!.clearCookie(name, signedCookieOptions(req));
  }
}
