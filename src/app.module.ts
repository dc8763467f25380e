import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { ViewLocalsMiddleware } from './common/views/view-locals.middleware';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { SettingsModule } from './settings/settings.module';

@Module({
  imports: [ConfigModule, DatabaseModule, AuthModule, SettingsModule, EventsModule, BookingsModule],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ViewLocalsMiddleware)
      .exclude({ path: 'api/*path', method: RequestMethod.ALL })
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
