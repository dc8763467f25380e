import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit.guard';

/** The named limits of rate-limits.module.ts. */
export const RATE_LIMITS = ['auth', 'api', 'purchase', 'events'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

/** Counts the route's requests against one named limit (and none of the others). */
export function RateLimit(name: RateLimitName) {
  const others = Object.fromEntries(
    RATE_LIMITS.filter((other) => other !== name).map((other) => [other, true]),
  );
  return applyDecorators(SkipThrottle(others), UseGuards(RateLimitGuard));
}
