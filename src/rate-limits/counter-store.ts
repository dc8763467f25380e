/** A count in a fixed window that starts with its first hit. */
export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

/**
 * Counters for rate limits: in Redis when REDIS_URL is set, so limits hold across
 * every app process; otherwise in this process's memory.
 */
export abstract class CounterStore {
  /** Adds one to `key` and returns its count in the current window of `windowMs`. */
  abstract hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes one back, within the same window (an attempt that reached no verdict). */
  abstract undo(key: string): Promise<void>;
  /** Forgets the count (a login that turned out to be right). */
  abstract clear(key: string): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;

export class MemoryCounterStore extends CounterStore {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = Date.now();

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    this.sweep(now);
    let entry = this.counts.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + windowMs };
      this.counts.set(key, entry);
    }
    entry.count++;
    return Promise.resolve({ count: entry.count, resetInMs: entry.resetAt - now });
  }

  undo(key: string): Promise<void> {
    const entry = this.counts.get(key);
    if (entry && entry.count > 0) entry.count--;
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.counts.delete(key);
    return Promise.resolve();
  }

  /** Forgets windows that have ended, at most once a minute, so memory stays bounded. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, entry] of this.counts) if (entry.resetAt <= now) this.counts.delete(key);
  }
}
