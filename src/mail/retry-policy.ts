/** However many attempts failed, the next one is never further away than this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/** How long to wait after the `attempts`-th failed attempt: base, 2×base, 4×base… up to an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  const doublings = Math.max(0, attempts - 1);
  // 2 ** 40 already dwarfs any cap; stopping there keeps the number finite.
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(doublings, 40));
}

/** After this many failed attempts (about five hours at the default base) a mail is given up. */
export const MAX_ATTEMPTS = 12;

/**
 * Whether a failed mail is not worth another try: the mail server refused it for good (an SMTP
 * 5xx reply, such as an unknown mailbox), or it has failed MAX_ATTEMPTS times.
 */
export function givesUp(attempts: number, error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return attempts >= MAX_ATTEMPTS || (typeof code === 'number' && code >= 500 && code < 600);
}
