import type { Browser as Chromium, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchChromium,
  listen,
  registerInBrowser,
  screenshot,
  seriousAccessibilityViolations,
  isLoadedImage,
} from '../support/chromium';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';

/**
 * Reserved seating in a real browser: the organiser draws a hall of two price zones, a buyer
 * picks two seats on the map (one by a click on the drawing, one by keyboard in the list), sees
 * the total, books, and the door checks one in by its ticket, naming the seat.
 */
describe('picking seats in a real browser', () => {
  let testApp: TestApp;
  let chromium: Chromium;
  let organiser: Page;
  let attendee: Page;
  let pageErrors: string[][];
  let eventId: number;
  let ticketCodes: string[];

  beforeAll(async () => {
    testApp = await startTestApp();
    const baseUrl = await listen(testApp);
    chromium = await launchChromium();
    organiser = await (await chromium.newContext({ baseURL: baseUrl })).newPage();
    attendee = await (await chromium.newContext({ baseURL: baseUrl })).newPage();
    pageErrors = [collectPageErrors(organiser), collectPageErrors(attendee)];
    // The first account is the site's admin: it manages the event seeded below.
    await registerInBrowser(organiser, 'Hall Manager');
    ({ eventId } = await insertEvent(testApp, {
      title: 'Chamber Concert',
      namePerTicket: true,
      ticketTypes: [
        { name: 'Front', capacity: 1, priceCents: 3000 },
        { name: 'Back', capacity: 1, priceCents: 1800 },
      ],
    }));
  });

  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
  });

  const errorsSoFar = () => pageErrors.flat();

  it('draws a hall of two price zones on the seat map page', async () => {
    await organiser.goto(`/organiser/events/${eventId}/seating`);
    expect(await seriousAccessibilityViolations(organiser)).toEqual([]);
    await organiser.getByLabel('Section').first().fill('Hall');
    await organiser.getByLabel('Rows', { exact: true }).fill('6');
    await organiser.getByLabel('Seats per row').fill('12');
    await organiser.getByLabel(/curved/).check();
    await organiser.getByLabel('Sold as').selectOption({ label: 'Front (€30.00)' });
    await Promise.all([
      organiser.waitForURL(`**/organiser/events/${eventId}/seating`),
      organiser.getByRole('button', { name: 'Add seats' }).click(),
    ]);
    await expect(organiser.textContent('main')).resolves.toContain('“Hall” added.');
    await organiser.getByLabel(/^Rows \(like/).fill('D-F');
    await organiser.getByLabel('Make them').selectOption({ label: 'sold as Back (€18.00)' });
    await Promise.all([
      organiser.waitForURL(`**/organiser/events/${eventId}/seating`),
      organiser.getByRole('button', { name: 'Change seats' }).click(),
    ]);
    await expect(organiser.textContent('main')).resolves.toContain('Front: 36 seats');
    await expect(organiser.textContent('main')).resolves.toContain('Back: 36 seats');
    await expect(organiser.locator('svg.seat-map circle').count()).resolves.toBe(72);
    expect(await seriousAccessibilityViolations(organiser)).toEqual([]);
    await screenshot(organiser, 'seat-editor');
    expect(errorsSoFar()).toEqual([]);
  });

  it('picks one seat by a click on the map and one by keyboard, shows the total, and books them', async () => {
    await attendee.goto(`/buy-tickets/${eventId}`);
    expect(await seriousAccessibilityViolations(attendee)).toEqual([]);
    const seatB5 = attendee.getByRole('checkbox', { name: '5', exact: true }).nth(1);
    const drawn = attendee.locator(`circle[data-seat="${await seatB5.getAttribute('value')}"]`);
    await drawn.click();
    await expect(seatB5.isChecked()).resolves.toBe(true);
    await expect(drawn.getAttribute('class')).resolves.toContain('seat-picked');
    const seatB6 = attendee.getByRole('checkbox', { name: '6', exact: true }).nth(1);
    await seatB6.focus();
    await attendee.keyboard.press('Space');
    await expect(seatB6.isChecked()).resolves.toBe(true);
    await expect(attendee.textContent('[data-order-total]')).resolves.toMatch(/Total: €60\.00/);
    // The event asks for a name on each ticket: a field per seat picked.
    const names = attendee.locator('fieldset[data-ticket-names]:visible');
    await expect(
      names
        .getByLabel(/Name on ticket/)
        .and(attendee.locator(':visible'))
        .count(),
    ).resolves.toBe(2);
    await names.getByLabel('Name on ticket 1', { exact: true }).fill('Clara Schumann');
    await names.getByLabel('Name on ticket 2', { exact: true }).fill('Robert Schumann');
    await attendee.fill('input[name=attendeeName]', 'Clara Schumann');
    await attendee.fill('input[name=attendeeEmail]', 'clara@example.com');
    await screenshot(attendee, 'seat-picker');
    await Promise.all([
      attendee.waitForURL('**/purchase/success?ref=*'),
      attendee.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    const tickets = attendee.locator('li.ticket');
    await expect(tickets.count()).resolves.toBe(2);
    await expect(tickets.nth(0).textContent()).resolves.toContain('Hall, row B, seat 5');
    await expect(tickets.nth(1).textContent()).resolves.toContain('Hall, row B, seat 6');
    await expect(tickets.nth(1).textContent()).resolves.toContain('Robert Schumann');
    ticketCodes = await Promise.all(
      (await tickets.locator('.ticket-reference').all()).map(
        async (code) => (await code.textContent())!,
      ),
    );
    expect(errorsSoFar()).toEqual([]);
  });

  it('draws those seats as sold for the next buyer, and keeps them out of the list', async () => {
    await attendee.goto(`/buy-tickets/${eventId}`);
    await expect(attendee.locator('circle.seat-sold').count()).resolves.toBe(2);
    await expect(attendee.locator('input[name="seats[]"]').count()).resolves.toBe(70);
    expect(errorsSoFar()).toEqual([]);
  });

  it('shows the organiser the hall filled in on the dashboard', async () => {
    await organiser.goto('/organiser');
    const picture = organiser.locator(`img[src="/organiser/events/${eventId}/seating/map.svg"]`);
    await picture.scrollIntoViewIfNeeded();
    await expect(picture.evaluate(isLoadedImage)).resolves.toBe(true);
    await expect(organiser.textContent('.dashboard-seats figcaption')).resolves.toMatch(
      /2 sold \(filled in\) · 0 held \(half filled\) · 70 free/,
    );
    expect(await seriousAccessibilityViolations(organiser)).toEqual([]);
    await screenshot(organiser, 'seat-dashboard');
    expect(errorsSoFar()).toEqual([]);
  });

  it('checks a ticket in at the door, naming its seat', async () => {
    await organiser.goto(`/organiser/events/${eventId}/check-in`);
    await organiser.fill('input[name=reference]', ticketCodes[0]);
    await Promise.all([
      organiser.waitForLoadState(),
      organiser.getByRole('button', { name: 'Check in' }).click(),
    ]);
    await expect(organiser.textContent('main')).resolves.toContain('Hall, row B, seat 5');
    await expect(organiser.textContent('main')).resolves.toContain('1 of 2 tickets checked in');
    expect(errorsSoFar()).toEqual([]);
  });
});
