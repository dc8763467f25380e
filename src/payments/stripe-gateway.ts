import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig, StripeConfig } from '../config/app-config';

/** What the app needs of a Checkout Session. */
export interface CheckoutSession {
  id: string;
  /** Where the buyer pays (Stripe's page). */
  url: string | null;
  /** open, complete or expired. */
  status: string | null;
  paid: boolean;
  amountTotal: number | null;
  currency: string | null;
  bookingReference: string | null;
  /** The PaymentIntent a refund is made against; null until paid. */
  paymentIntent: string | null;
}

export interface CheckoutRequest {
  bookingReference: string;
  currency: string;
  lines: { name: string; unitAmount: number; quantity: number }[];
  customerEmail: string;
  expiresAt: Date;
  successUrl: string;
  cancelUrl: string;
}

/** Where buyers pay: Stripe's checkout pages, or the stand-in's that STRIPE_API_URL points at. */
export const stripeCheckoutOrigin = (config: StripeConfig): string =>
  config.apiUrl?.origin ?? 'https://checkout.stripe.com';

/** Stripe keeps a Checkout Session open at least 30 minutes and at most 24 hours. */
const MIN_SESSION_MS = 30 * 60_000;
const MAX_SESSION_MS = 24 * 60 * 60_000;
/** A session asked to end at exactly the minimum may arrive a moment late for it. */
const SESSION_MARGIN_MS = 60_000;

/**
 * Stripe through its official SDK: Checkout Sessions, refunds and webhook signatures. The only
 * place that speaks to Stripe; without STRIPE_SECRET_KEY it is `enabled: false` and never called.
 */
@Injectable()
export class StripeGateway {
  private readonly stripe?: Stripe;
  private readonly webhookSecret?: string;

  constructor(config: AppConfig) {
    if (!config.stripe) return;
    const { secretKey, webhookSecret, apiUrl } = config.stripe;
    this.webhookSecret = webhookSecret;
    this.stripe = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(apiUrl && {
        host: apiUrl.hostname,
        port: apiUrl.port || (apiUrl.protocol === 'https:' ? 443 : 80),
        protocol: apiUrl.protocol === 'https:' ? 'https' : 'http',
      }),
    });
  }

  get enabled(): boolean {
    return this.stripe !== undefined;
  }

  /**
   * A session for one booking: a line per item, the booking's reference as the client reference
   * and metadata. One idempotency key per booking, so a double click gets the same session. It
   * lasts until the hold ends, or Stripe's 30 minutes when the hold ends sooner.
   */
  async createCheckoutSession(request: CheckoutRequest): Promise<CheckoutSession> {
    const now = Date.now();
    const expiresAt = Math.min(
      Math.max(request.expiresAt.getTime(), now + MIN_SESSION_MS + SESSION_MARGIN_MS),
      now + MAX_SESSION_MS - SESSION_MARGIN_MS,
    );
    const session = await this.client().checkout.sessions.create(
      {
        mode: 'payment',
        line_items: request.lines.map((line) => ({
          quantity: line.quantity,
          price_data: {
            currency: request.currency.toLowerCase(),
            unit_amount: line.unitAmount,
            product_data: { name: line.name },
          },
        })),
        client_reference_id: request.bookingReference,
        metadata: { booking_reference: request.bookingReference },
        customer_email: request.customerEmail,
        expires_at: Math.floor(expiresAt / 1000),
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      },
      { idempotencyKey: `checkout-${request.bookingReference}` },
    );
    return toCheckoutSession(session);
  }

  async retrieveCheckoutSession(id: string): Promise<CheckoutSession> {
    return toCheckoutSession(await this.client().checkout.sessions.retrieve(id));
  }

  /** Ends an open session, so that nobody pays for a hold that lapsed; false when it had already ended. */
  async expireCheckoutSession(id: string): Promise<boolean> {
    const session = await this.client().checkout.sessions.retrieve(id);
    if (session.status !== 'open') return false;
    await this.client().checkout.sessions.expire(id);
    return true;
  }

  /** Refunds `amountCents` of a payment; the key makes a retry of the same refund a no-op. */
  async refund(paymentIntent: string, amountCents: number, idempotencyKey: string) {
    const refund = await this.client().refunds.create(
      { payment_intent: paymentIntent, amount: amountCents },
      { idempotencyKey },
    );
    return { id: refund.id, status: refund.status };
  }

  /** The event a webhook delivered, its signature checked over the raw body; throws when it is not Stripe's. */
  verifyWebhook(rawBody: Buffer, signature: unknown): Stripe.Event {
    if (!this.stripe || !this.webhookSecret) throw new Error('Stripe is not configured');
    if (typeof signature !== 'string') throw new Error('No Stripe-Signature header');
    return this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
  }

  private client(): Stripe {
    if (!this.stripe) throw new Error('Stripe is not configured (STRIPE_SECRET_KEY)');
    return this.stripe;
  }
}

export function toCheckoutSession(session: Stripe.Checkout.Session): CheckoutSession {
  const intent = session.payment_intent;
  return {
    id: session.id,
    url: session.url,
    status: session.status,
    paid: session.payment_status === 'paid',
    amountTotal: session.amount_total,
    currency: session.currency,
    bookingReference: session.metadata?.booking_reference ?? session.client_reference_id,
    paymentIntent: typeof intent === 'string' ? intent : (intent?.id ?? null),
  };
}
