import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as Chromium, Page } from 'playwright-core';
import { BookingService } from '../../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';
import { freePort } from '../support/app-process';
import {
  collectPageErrors,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { eventually } from '../support/eventually';
import { decodeQuotedPrintable } from '../support/quoted-printable';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';

/**
 * A sold-out night in a real browser: a fan joins the waiting list, a ticket comes free, and the
 * link in the offer's mail opens the buy form with the code applied; the purchase goes through.
 */
describe('the waiting list in a real browser', () => {
  let testApp: TestApp;
  let chromium: Chromium;
  let fan: Page;
  let errors: string[];
  let outboxDir: string;
  let eventId: number;
  let ticketTypeId: number;
  let firstBooking: { reference: string; secret: string };

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'boxoffice-browser-offers-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    testApp = await startTestApp({ PUBLIC_URL: baseUrl, OUTBOX_DIR: outboxDir });
    await testApp.app.listen(port, '127.0.0.1');
    let ticketTypeIds: number[];
    ({ eventId, ticketTypeIds } = await insertEvent(testApp, {
      title: 'Lantern Quartet',
      ticketTypes: [{ name: 'Standing', priceCents: 1800, capacity: 1 }],
    }));
    [ticketTypeId] = ticketTypeIds;
    firstBooking = await testApp.app.get(BookingService).book(
      eventId,
      {
        attendeeName: 'Early Bird',
        attendeeEmail: 'early@example.com',
        lines: [{ ticketTypeId, quantity: 1 }],
      },
      PAY_AT_THE_DOOR,
    );
    chromium = await launchChromium();
    const context = await chromium.newContext({ baseURL: baseUrl });
    fan = await context.newPage();
    errors = collectPageErrors(fan);
  });
  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it('joins the waiting list of the sold-out type from the event page', async () => {
    await fan.goto(`/event/${eventId}`);
    await expect(fan.textContent('body')).resolves.toContain('Sold out');
    await Promise.all([
      fan.waitForURL(`**/event/${eventId}/waiting-list?ticketType=${ticketTypeId}`),
      fan.getByRole('link', { name: 'Join the waiting list' }).click(),
    ]);
    expect(await seriousAccessibilityViolations(fan)).toEqual([]);
    await fan.getByLabel('Your name').fill('Fay Fan');
    await fan.getByLabel(/Email/).fill('fay@example.com');
    await Promise.all([
      fan.waitForURL(`**/event/${eventId}/waiting-list/joined`),
      fan.getByRole('button', { name: 'Join the waiting list' }).click(),
    ]);
    await expect(fan.textContent('body')).resolves.toContain(
      'You are number 1 on the waiting list',
    );
    expect(await seriousAccessibilityViolations(fan)).toEqual([]);
    await screenshot(fan, 'waiting-list-joined');
  });

  it('buys the freed ticket through the link in the offer mail, with the code applied', async () => {
    await testApp.app
      .get(BookingService)
      .cancel(firstBooking.reference, { secret: firstBooking.secret });
    const mail = await eventually(
      () =>
        readdirSync(outboxDir)
          .filter((name) => name.endsWith('waiting_list.offered.eml'))
          .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
          .find((text) => text.includes('fay@example.com')),
      'the offer mail',
    );
    const link = /http:\/\/127\.0\.0\.1:\d+\/buy-tickets\/\d+\?voucher=[A-Z0-9]+/.exec(mail)![0];
    await fan.goto(link);
    await expect(fan.textContent('body')).resolves.toContain('Code applied');
    expect(await seriousAccessibilityViolations(fan)).toEqual([]);
    await fan.locator(`select[name="quantities[${ticketTypeId}]"]`).selectOption('1');
    await fan.fill('input[name=attendeeName]', 'Fay Fan');
    await fan.fill('input[name=attendeeEmail]', 'fay@example.com');
    await Promise.all([
      fan.waitForURL('**/purchase/success?ref=*'),
      fan.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    const reference = new URL(fan.url()).searchParams.get('ref')!;
    const [booking] = await testApp.sql<{ status: string; voucher_id: number | null }[]>(
      'SELECT status, voucher_id FROM bookings WHERE reference = ?',
      [reference],
    );
    expect(booking.status).toBe('confirmed');
    expect(booking.voucher_id).not.toBeNull();
    await screenshot(fan, 'waiting-list-bought');
    expect(errors).toEqual([]);
  });
});
