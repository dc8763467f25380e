import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { SeatingModule } from './seating/seating.module';
import { VouchersModule } from './vouchers/vouchers.module';
import { WaitingListModule } from './waiting-list/waiting-list.module';
import { CheckInModule } from './check-in/check-in.module';
import { FormPageInterceptor } from './common/forms/form-page';
import { CsrfGuard, CsrfTokens } from './common/http/csrf.guard';
import { HandlersInFlight } from './common/http/handlers-in-flight';
import { TwoFactorRequirementMiddleware } from './settings/two-factor-requirement.middleware';
import { ViewLocalsMiddleware } from './settings/view-locals.middleware';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DomainEventsModule } from './domain-events/domain-events.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { QueueModule } from './queue/queue.module';
import { TeamsModule } from './teams/teams.module';
import { PageCacheModule } from './page-cache/page-cache.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RedisModule } from './redis/redis.module';
import { SalesModule } from './sales/sales.module';
import { SettingsModule } from './settings/settings.module';

@Module({
  providers: [CsrfTokens, CsrfGuard, HandlersInFlight, FormPageInterceptor],
  imports: [
    DatabaseModule,
    RedisModule,
    RateLimitsModule,
    AuditModule,
    DomainEventsModule,
    PageCacheModule,
    HealthModule,
    AuthModule,
    SettingsModule,
    EventsModule,
    SeatingModule,
    AdminModule,
    BookingsModule,
    VouchersModule,
    WaitingListModule,
    SalesModule,
    CheckInModule,
    MailModule,
    WebhooksModule,
    QueueModule,
    TeamsModule,
  ],
})
export class AppModule implements NestModule {
  /** The app, configured by `config` (built once per process, at start-up). */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config)] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ViewLocalsMiddleware, TwoFactorRequirementMiddleware)
      .exclude(
        { path: 'api/*path', method: RequestMethod.ALL },
        { path: 'healthz', method: RequestMethod.GET },
      )
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
