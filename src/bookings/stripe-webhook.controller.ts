import { BadRequestException, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type Stripe from 'stripe';
import { SignedElsewhere } from '../common/http/csrf.guard';
import { StripeGateway, toCheckoutSession } from '../payments/stripe-gateway';
import { CardPaymentsService } from './card-payments.service';

/** Where Stripe reports payments (configure.ts gives this path its body unparsed, for the signature). */
export const STRIPE_WEBHOOK_PATH = '/payments/stripe/webhook';

const PAID_SESSION_EVENTS = new Set<Stripe.Event['type']>([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
]);

@Controller()
export class StripeWebhookController {
  constructor(
    private readonly stripe: StripeGateway,
    private readonly cards: CardPaymentsService,
  ) {}

  /**
   * Stripe's signed report of a Checkout Session paid: its booking is confirmed once, however
   * often and in whatever order reports arrive. 400 (nothing changed) for a missing or wrong
   * signature; 200 for every other event, ignored. An error answers 5xx, and Stripe tries again.
   */
  @Post(STRIPE_WEBHOOK_PATH)
  @SignedElsewhere()
  @HttpCode(200)
  async receive(@Req() req: Request, @Headers('stripe-signature') signature: unknown) {
    let event: Stripe.Event;
    try {
      event = this.stripe.verifyWebhook(req.body as Buffer, signature);
    } catch {
      throw new BadRequestException('The Stripe-Signature header is missing or does not match.');
    }
    if (!PAID_SESSION_EVENTS.has(event.type)) return { received: true };
    const session = event.data.object as Stripe.Checkout.Session;
    return { received: true, outcome: await this.cards.confirm(toCheckoutSession(session)) };
  }
}
