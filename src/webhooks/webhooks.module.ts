import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhooksApiController } from './webhooks.api.controller';
import { WebhooksController } from './webhooks.controller';
import { WebhooksSubscriber } from './webhooks.subscriber';
import { WebhookWorker } from './webhook.worker';

/** Webhooks: endpoints per account, told of booking changes through signed, retried deliveries. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]),
    AuthModule,
    BookingsModule,
  ],
  controllers: [WebhooksController, WebhooksApiController],
  providers: [WebhookEndpoints, WebhookDeliveries, WebhookWorker, WebhooksSubscriber],
})
export class WebhooksModule {}
