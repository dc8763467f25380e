import type { Browser as Chromium, Page } from 'playwright-core';
import { freePort } from '../support/app-process';
import {
  collectPageErrors,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { eventually } from '../support/eventually';
import { StripeStandIn } from '../support/stripe-stand-in';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';

/**
 * A paid sale in a real browser: the buyer books, sees the deadline count down on the pay page,
 * pays on the (stand-in) Stripe checkout page and lands on the confirmed ticket.
 */
describe('paying by card in a real browser', () => {
  let stripe: StripeStandIn;
  let testApp: TestApp;
  let chromium: Chromium;
  let buyer: Page;
  let errors: string[];
  let eventId: number;

  beforeAll(async () => {
    stripe = await new StripeStandIn().start();
    // Stripe sends the buyer back to PUBLIC_URL: the app's own address, known before it starts.
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    testApp = await startTestApp({ ...stripe.env(), PUBLIC_URL: baseUrl });
    await testApp.app.listen(port, '127.0.0.1');
    stripe.webhookUrl = `${baseUrl}/payments/stripe/webhook`;
    ({ eventId } = await insertEvent(testApp, {
      title: 'Harbour Lights Festival',
      holdMinutes: 10,
      ticketTypes: [{ name: 'Full price', priceCents: 2500, capacity: 50 }],
    }));
    chromium = await launchChromium();
    const context = await chromium.newContext({ baseURL: baseUrl });
    buyer = await context.newPage();
    errors = collectPageErrors(buyer);
  });
  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
    await stripe?.stop();
  });

  it('holds the tickets and shows the deadline counting down', async () => {
    await buyer.goto(`/buy-tickets/${eventId}`);
    await buyer.locator('select[name^="quantities["]').first().selectOption('2');
    await buyer.fill('input[name=attendeeName]', 'Ada Attendee');
    await buyer.fill('input[name=attendeeEmail]', 'ada@example.com');
    await Promise.all([
      buyer.waitForURL('**/booking/*/pay?secret=*'),
      buyer.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    await expect(buyer.textContent('body')).resolves.toContain('€50.00');
    const countdown = buyer.locator('.countdown');
    await expect(countdown.textContent()).resolves.toMatch(/^ \((9|10):\d\d left\)$/);
    const first = await countdown.textContent();
    await eventually(
      async () => (await countdown.textContent()) !== first,
      'the countdown to tick',
    );
    expect(await seriousAccessibilityViolations(buyer)).toEqual([]);
    await screenshot(buyer, 'pay-page');
  });

  it('pays on the checkout page and lands on the confirmed ticket', async () => {
    await Promise.all([
      buyer.waitForURL(`${stripe.url}/checkout/*`),
      buyer.getByRole('button', { name: 'Pay by card' }).click(),
    ]);
    await expect(buyer.textContent('h1')).resolves.toBe('Pay 50 EUR');
    await Promise.all([
      buyer.waitForURL('**/purchase/success?ref=*'),
      buyer.getByRole('button', { name: 'Pay' }).click(),
    ]);
    const reference = new URL(buyer.url()).searchParams.get('ref')!;
    await expect(buyer.textContent('body')).resolves.toContain('Your booking is confirmed');
    await expect(buyer.locator('img.ticket-qr').first().getAttribute('alt')).resolves.toMatch(
      /^QR code of ticket [0-9A-Z]{16}$/,
    );
    const [row] = await testApp.sql<{ status: string; payment_method: string }[]>(
      'SELECT status, payment_method FROM bookings WHERE reference = ?',
      [reference],
    );
    expect(row).toEqual({ status: 'confirmed', payment_method: 'stripe' });
    await screenshot(buyer, 'paid-by-card');
  });

  it('met no console error, CSP refusal or failed request on the way', () => {
    expect(errors).toEqual([]);
  });
});
