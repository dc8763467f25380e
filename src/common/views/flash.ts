import type { Request } from 'express';
import { signedCookieOptions } from '../http/signed-cookies';

export interface FlashMessage {
  type: 'success' | 'error';
  message: string;
}

const FLASH_COOKIE = 'boxoffice.flash';

/**
 * A message shown once, on the next page this browser sees (after a redirect). It travels in a
 * signed cookie with the redirect itself, so the next page has it whatever else is going on
 * (a session written after the redirect's headers went out could arrive too late).
 */
export function flash(req: Request, type: FlashMessage['type'], message: string): void {
  const res = req.res!;
  const pending = ((res.locals.flashed as FlashMessage[] | undefined) ?? []).concat({
    type,
    message,
  });
  res.locals.flashed = pending;
  res.cookie(FLASH_COOKIE, pending, signedCookieOptions(req));
}

export function takeFlash(req: Request): FlashMessage[] {
  const messages: unknown = req.signedCookies?.[FLASH_COOKIE];
  if (!Array.isArray(messages)) return [];
  req.res!.clearCookie(FLASH_COOKIE, signedCookieOptions(req));
  return messages.filter(isFlashMessage);
}

const isFlashMessage = (value: unknown): value is FlashMessage =>
  typeof value === 'object' &&
  value !== null &&
  ['success', 'error'].includes((value as FlashMessage).type) &&
  typeof (value as FlashMessage).message === 'string';
