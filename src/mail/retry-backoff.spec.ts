import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-backoff';

describe('retryDelayMs', () => {
  it('waits the base delay after the first failure', () => {
    expect(retryDelayMs(1, 30_000)).toBe(30_000);
  });

  it('doubles the wait with each further failure', () => {
    expect([2, 3, 4].map((attempts) => retryDelayMs(attempts, 30_000))).toEqual([
      60_000, 120_000, 240_000,
    ]);
  });

  it('never waits longer than an hour, even after thousands of failures', () => {
    expect(retryDelayMs(8, 30_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(5000, 30_000)).toBe(MAX_RETRY_DELAY_MS);
  });
});
