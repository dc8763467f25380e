import { givesUp, MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, oneLine, retryDelayMs } from './retry-policy';

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

describe('givesUp', () => {
  it('gives up at once on a failure that says it is permanent', () => {
    expect(givesUp(1, Object.assign(new Error('no such mailbox'), { permanent: true }))).toBe(true);
  });

  it('tries again after any other failure, up to MAX_ATTEMPTS', () => {
    expect(givesUp(1, new Error('connect ECONNREFUSED 127.0.0.1:25'))).toBe(false);
    expect(givesUp(MAX_ATTEMPTS - 1, new Error('ECONNREFUSED'))).toBe(false);
    expect(givesUp(MAX_ATTEMPTS, new Error('ECONNREFUSED'))).toBe(true);
  });

  it('does not trip over errors that are not objects', () => {
    expect(givesUp(1, 'a string')).toBe(false);
    expect(givesUp(1, null)).toBe(false);
  });
});

describe('oneLine', () => {
  it('puts a multi-line message on one line', () => {
    expect(oneLine(new Error('FOREIGN KEY\n  constraint\tfailed '))).toBe(
      'FOREIGN KEY constraint failed',
    );
  });
});
