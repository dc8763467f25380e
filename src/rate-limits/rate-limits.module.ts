import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis-connection';
import { CounterStore, MemoryCounterStore } from './counter-store';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { LoginLockoutService } from './login-lockout.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisCounterStore } from './redis-counter-store';

/** API clients are told apart by their token (verified by then: the limit runs after the guard). */
function apiClient(req: Request): string {
  return createHash('sha256')
    .update(req.headers.authorization ?? '')
    .digest('hex');
}

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, CounterStore],
      useFactory: (config: AppConfig, counters: CounterStore) => {
        const limits = config.rateLimits;
        return {
          storage: new CounterThrottlerStorage(counters),
          setHeaders: false,
          // One count per client and limit, across routes (login and register share theirs).
          generateKey: (_context, tracker, name) => `${name}:${tracker}`,
          throttlers: [
            { name: 'auth', limit: limits.authAttemptsPerIp, ttl: limits.authWindowMs },
            {
              name: 'api',
              limit: limits.apiRequestsPerMinute,
              ttl: 60_000,
              getTracker: (req) => apiClient(req as Request),
            },
            {
              name: 'purchase',
              limit: limits.purchasesPerIpPerMinute,
              ttl: 60_000,
              // The buy form's page counts only when it tries a code (`?voucher=`): codes are not to be guessed.
              skipIf: (context) => {
                const req = context.switchToHttp().getRequest<Request>();
                return (
                  limits.purchasesPerIpPerMinute === 0 ||
                  (req.method === 'GET' && req.query.voucher === undefined)
                );
              },
            },
            {
              // Per organiser, wherever they log in from; admins are trusted.
              name: 'events',
              limit: limits.eventsPerOrganiserPerHour,
              ttl: 3_600_000,
              getTracker: (req) => `user:${(req as Request).user?.id}`,
              skipIf: (context) =>
                limits.eventsPerOrganiserPerHour === 0 ||
                context.switchToHttp().getRequest<Request>().user?.role !== 'organiser',
            },
          ],
        };
      },
    }),
  ],
  providers: [
    {
      provide: CounterStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) =>
        redis.client ? new RedisCounterStore(redis.client) : new MemoryCounterStore(),
    },
    LoginLockoutService,
    RateLimitGuard,
  ],
  exports: [CounterStore, LoginLockoutService, RateLimitGuard, ThrottlerModule],
})
export class RateLimitsModule {}
