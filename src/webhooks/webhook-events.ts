/** What an endpoint can hear about (PRODUCT.md "Webhooks"). */
export const WEBHOOK_EVENTS = [
  'booking.confirmed',
  'booking.cancelled',
  'booking.expired',
  'booking.refunded',
  'booking.checked_in',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What the "Send test" button delivers: no booking, just proof the endpoint is reached and can verify. */
export const TEST_EVENT = 'webhook.test';
