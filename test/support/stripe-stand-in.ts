import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startTestApp, TestApp } from './test-app';

export const STAND_IN_SECRET_KEY = 'sk_test_standin';
export const STAND_IN_WEBHOOK_SECRET = 'whsec_standin';

interface StoredSession {
  id: string;
  object: 'checkout.session';
  url: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  customer_email: string | null;
  expires_at: number;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  mode: 'payment';
}

/**
 * A local stand-in for the few endpoints of Stripe's HTTP API the app calls (create, read and
 * expire Checkout Sessions; create refunds), reached by the real `stripe` SDK through
 * STRIPE_API_URL, with a checkout page a browser can pay on. It reports payments to the app's
 * webhook as Stripe does, signed with the SDK's own test header.
 */
export class StripeStandIn {
  readonly sessions = new Map<string, StoredSession>();
  readonly refunds: {
    id: string;
    payment_intent: string;
    amount: number;
    idempotencyKey?: string;
  }[] = [];
  /** Requests the SDK made, `METHOD /path`, in order. */
  readonly calls: string[] = [];
  /** Where payments are reported (the app's webhook URL); set by the test. */
  webhookUrl?: string;
  /** The next refunds fail with a 500 (a provider outage), this many of them. */
  failRefunds = 0;
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private readonly stripe = new Stripe(STAND_IN_SECRET_KEY);
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The environment that points the app at this stand-in. */
  env(): NodeJS.ProcessEnv {
    return {
      STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: STAND_IN_WEBHOOK_SECRET,
      STRIPE_API_URL: this.url,
    };
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The buyer pays on the session's page: it completes, and (unless told not to) the webhook hears. */
  async pay(
    sessionId: string,
    { notify = true, amountTotal }: { notify?: boolean; amountTotal?: number } = {},
  ) {
    const session = this.sessions.get(sessionId)!;
    if (session.status !== 'open') throw new Error(`session ${sessionId} is ${session.status}`);
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = `pi_${randomBytes(12).toString('hex')}`;
    if (amountTotal !== undefined) session.amount_total = amountTotal;
    return notify ? this.notify(session) : undefined;
  }

  /** Delivers `checkout.session.completed` for the session, signed as Stripe signs it. */
  async notify(
    session: StoredSession,
    {
      secret = STAND_IN_WEBHOOK_SECRET,
      signature,
    }: { secret?: string; signature?: string | null } = {},
  ) {
    const payload = JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: session },
    });
    const header =
      signature === undefined
        ? this.stripe.webhooks.generateTestHeaderString({ payload, secret })
        : signature;
    const res = await fetch(this.webhookUrl!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header === null ? {} : { 'stripe-signature': header }),
      },
      body: payload,
    });
    return { status: res.status, body: await res.text() };
  }

  /** The one session made for a booking. */
  sessionOf(bookingReference: string): StoredSession | undefined {
    return [...this.sessions.values()].find(
      (session) => session.client_reference_id === bookingReference,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, this.url);
    const body = new URLSearchParams(await readBody(req));
    if (url.pathname.startsWith('/v1/')) {
      this.calls.push(`${req.method} ${url.pathname}`);
      if (req.headers.authorization !== `Bearer ${STAND_IN_SECRET_KEY}`) {
        return json(res, 401, {
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
        });
      }
      // Stripe answers a repeated idempotency key with the first answer.
      const key = req.headers['idempotency-key'];
      const replayKey = typeof key === 'string' ? `${url.pathname} ${key}` : undefined;
      const earlier = replayKey && this.replies.get(replayKey);
      if (earlier) return json(res, earlier.status, earlier.body);
      const reply = this.api(
        req.method!,
        url.pathname,
        body,
        typeof key === 'string' ? key : undefined,
      );
      if (replayKey && reply.status < 500) this.replies.set(replayKey, reply);
      return json(res, reply.status, reply.body);
    }
    const page = /^\/checkout\/(cs_\w+)(\/pay)?$/.exec(url.pathname);
    const session = page && this.sessions.get(page[1]);
    if (!session) return void res.writeHead(404).end('No such page');
    if (req.method === 'POST' && page[2]) {
      if (session.status === 'open') await this.pay(session.id);
      res.writeHead(303, {
        location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id),
      });
      return void res.end();
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>Stand-in checkout</title><h1>Pay ${session.amount_total / 100} ${session.currency.toUpperCase()}</h1>` +
          `<form method="post" action="/checkout/${session.id}/pay"><button type="submit">Pay</button></form>`,
      );
  }

  private api(
    method: string,
    path: string,
    body: URLSearchParams,
    idempotencyKey?: string,
  ): { status: number; body: unknown } {
    if (method === 'POST' && path === '/v1/checkout/sessions')
      return { status: 200, body: this.createSession(body) };
    const sessionPath = /^\/v1\/checkout\/sessions\/(cs_\w+)(\/expire)?$/.exec(path);
    const session = sessionPath && this.sessions.get(sessionPath[1]);
    if (sessionPath && !session) return notFound('checkout.session');
    if (method === 'GET' && session && !sessionPath[2]) return { status: 200, body: session };
    if (method === 'POST' && session && sessionPath[2]) {
      if (session.status !== 'open') {
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              message: `Only open sessions can be expired (this one is ${session.status}).`,
            },
          },
        };
      }
      session.status = 'expired';
      return { status: 200, body: session };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      if (this.failRefunds > 0) {
        this.failRefunds--;
        return {
          status: 500,
          body: { error: { type: 'api_error', message: 'Something went wrong on Stripe’s end.' } },
        };
      }
      const refund = {
        id: `re_${randomBytes(12).toString('hex')}`,
        object: 'refund',
        status: 'succeeded',
        payment_intent: body.get('payment_intent')!,
        amount: Number(body.get('amount')),
        idempotencyKey,
      };
      this.refunds.push(refund);
      return { status: 200, body: refund };
    }
    return notFound('route');
  }

  private createSession(body: URLSearchParams): StoredSession {
    const id = `cs_test_${randomBytes(12).toString('hex')}`;
    let amount = 0;
    for (let i = 0; body.has(`line_items[${i}][quantity]`); i++) {
      amount +=
        Number(body.get(`line_items[${i}][quantity]`)) *
        Number(body.get(`line_items[${i}][price_data][unit_amount]`));
    }
    const session: StoredSession = {
      id,
      object: 'checkout.session',
      url: `${this.url}/checkout/${id}`,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: amount,
      currency: body.get('line_items[0][price_data][currency]') ?? 'eur',
      client_reference_id: body.get('client_reference_id'),
      metadata: { booking_reference: body.get('metadata[booking_reference]') ?? '' },
      customer_email: body.get('customer_email'),
      expires_at: Number(body.get('expires_at')),
      payment_intent: null,
      success_url: body.get('success_url')!,
      cancel_url: body.get('cancel_url')!,
      mode: 'payment',
    };
    this.sessions.set(id, session);
    return session;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_${randomBytes(6).toString('hex')}`,
  });
  res.end(JSON.stringify(body));
}

const notFound = (what: string) => ({
  status: 404,
  body: { error: { type: 'invalid_request_error', message: `No such ${what}` } },
});

/** A test app that takes card payments through `stripe`, listening, its webhook known to it. */
export async function startTestAppWithStripe(stripe: StripeStandIn): Promise<TestApp> {
  const testApp = await startTestApp(stripe.env());
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
  stripe.webhookUrl = `http://127.0.0.1:${port}/payments/stripe/webhook`;
  return testApp;
}
