import { createHmac } from 'node:crypto';

/**
 * `Boxoffice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
 * endpoint's secret, as Stripe signs its own: the receiver recomputes it, compares in constant
 * time, and refuses a `t` far from now (a replayed delivery).
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
