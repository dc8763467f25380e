import type { Request } from 'express';

export interface FlashMessage {
  type: 'success' | 'error';
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

/** A message shown once, on the next page this session sees (after a redirect). */
export function flash(req: Request, type: FlashMessage['type'], message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }];
}

export function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session?.flash ?? [];
  if (messages.length > 0) delete req.session.flash;
  return messages;
}
