/** However many attempts failed, the next one is never further away than this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/** How long to wait after the `attempts`-th failed attempt: base, 2×base, 4×base… up to an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  const doublings = Math.max(0, attempts - 1);
  // 2 ** 40 already dwarfs any cap; stopping there keeps the number finite.
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(doublings, 40));
}
