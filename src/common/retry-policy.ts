import { loggable } from './loggable';

/*
 * The one retry policy for work done in the background (mails, domain events, and whatever else
 * is delivered after a commit): back off by doubling, and after MAX_ATTEMPTS give up, keeping
 * the row with its error. Nothing is retried forever.
 */

/** However many attempts failed, the next one is never further away than this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/** After this many failed attempts (about five hours at a 30 s base) the work is given up. */
export const MAX_ATTEMPTS = 12;

/** How long to wait after the `attempts`-th failed attempt: base, 2×base, 4×base… up to an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  const doublings = Math.max(0, attempts - 1);
  // 2 ** 40 already dwarfs any cap; stopping there keeps the number finite.
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(doublings, 40));
}

/**
 * A failure that no retry can mend (a mail server refusing an address for good, say): the
 * error says so with `permanent: true`.
 */
export const isPermanentFailure = (error: unknown): boolean =>
  (error as { permanent?: unknown } | null)?.permanent === true;

/** Whether to stop trying: the failure is permanent, or it was the MAX_ATTEMPTS-th. */
export function givesUp(attempts: number, error: unknown): boolean {
  return attempts >= MAX_ATTEMPTS || isPermanentFailure(error);
}

/** An error as one line of text, for a log line or a `last_error` column. */
export const oneLine = (error: unknown): string =>
  loggable((error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim());
