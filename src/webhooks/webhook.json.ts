import type { WebhookDelivery } from './entities/webhook-delivery.entity';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import type { DeliveryResponse, WebhookResponse } from './dto/webhook.dto';

export const webhookJson = (endpoint: WebhookEndpoint): WebhookResponse => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  createdAt: endpoint.createdAt,
});

export const deliveryJson = (delivery: WebhookDelivery): DeliveryResponse => ({
  id: delivery.id,
  event: delivery.event,
  attempt: delivery.attempts,
  status: delivery.status,
  responseCode: delivery.responseCode,
  createdAt: delivery.createdAt,
});
