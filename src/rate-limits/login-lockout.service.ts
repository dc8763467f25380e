import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TooManyRequestsException } from '../common/errors/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { CounterStore } from './counter-store';

/**
 * Failed logins per account (unknown emails alike, so a lock-out reveals nothing).
 * Every attempt is counted before the password is checked, so a burst of guesses
 * cannot slip in between check and count; a successful login clears the count.
 * Past the limit even the right password is refused until the window ends (as
 * PRODUCT.md asks): someone who knows an email can keep that account locked, the
 * price of making password guessing slow.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * Counts an attempt for `email` and runs `check` (the password check); throws 429 when
   * the account is locked. A successful check clears the count; one that fails to reach a
   * verdict (the database is down) takes its attempt back.
   */
  async guard<T>(email: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const { loginFailuresPerAccount, authWindowMs } = this.config.rateLimits;
    const key = `login:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
    const { count, resetInMs } = await this.counters.hit(key, authWindowMs);
    if (count > loginFailuresPerAccount) {
      throw new TooManyRequestsException('Too many failed logins for this account.', resetInMs);
    }
    let verdict: T | undefined;
    try {
      verdict = await check();
    } catch (error) {
      await this.counters.undo(key).catch(() => undefined);
      throw error;
    }
    if (verdict !== undefined) await this.counters.clear(key);
    return verdict;
  }
}
