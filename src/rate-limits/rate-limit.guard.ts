import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { TooManyRequestsException } from '../common/errors/too-many-requests.exception';

/** @nestjs/throttler's guard, answering with our 429 (a plain `Retry-After`, a clear message). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyRequestsException('Too many requests.', detail.timeToBlockExpire * 1000);
  }
}
