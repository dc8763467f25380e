import type { RequestHandler } from 'express';

export interface SessionTimeouts {
  /** A logged-in session unused for this long is logged out. */
  idleMs: number;
  /** A login lasts at most this long, however active. */
  absoluteMs: number;
  /** A visitor's session (a CSRF token, remembered bookings) lasts this long unused. */
  anonymousMs: number;
}

interface TimedSession {
  passport?: { user?: unknown };
  authenticatedAt?: number;
  lastSeenAt?: number;
}

/** Idle time is tracked to the minute, so a busy session is not rewritten on every request. */
const SEEN_RESOLUTION_MS = 60_000;

/**
 * Idle and absolute limits for logged-in sessions (OWASP ASVS 3.3.2), and a short
 * lifetime for anonymous ones. Runs after express-session and before passport: an
 * expired login is replaced by a fresh, empty session, so the request goes on logged out.
 */
export function sessionTimeouts(limits: SessionTimeouts): RequestHandler {
  return (req, _res, next) => {
    const session = req.session as (typeof req.session & TimedSession) | undefined;
    if (!session) return next();
    const now = Date.now();
    if (session.passport?.user === undefined) {
      session.cookie.maxAge = limits.anonymousMs;
      return next();
    }
    session.authenticatedAt ??= now;
    session.lastSeenAt ??= now;
    if (
      now - session.lastSeenAt > limits.idleMs ||
      now - session.authenticatedAt > limits.absoluteMs
    ) {
      return session.regenerate((error) => {
        if (!error) req.session.cookie.maxAge = limits.anonymousMs;
        next(error);
      });
    }
    if (now - session.lastSeenAt >= SEEN_RESOLUTION_MS) session.lastSeenAt = now;
    session.cookie.maxAge = session.authenticatedAt + limits.absoluteMs - now;
    next();
  };
}
