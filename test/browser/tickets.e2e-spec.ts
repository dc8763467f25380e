import type { Browser as Chromium, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchChromium,
  listen,
  registerInBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Named tickets in a real browser: the organiser asks for a name on each ticket, the buyer
 * sees a name field per ticket chosen, and each ticket carries its holder's name to the door.
 */
describe('named tickets in a real browser', () => {
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
    await registerInBrowser(organiser, 'Gala Organiser');
  });

  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
  });

  const errorsSoFar = () => pageErrors.flat();

  it('lets the organiser ask for a name on each ticket', async () => {
    await organiser.goto('/create-event');
    await organiser.fill('input[name=title]', 'Charity Gala');
    await organiser.fill('input[name=startsAt]', '2099-05-01T19:00');
    await organiser.fill('input[name="ticketTypes[0][name]"]', 'Dinner');
    await organiser.fill('input[name="ticketTypes[0][price]"]', '80.00');
    await organiser.fill('input[name="ticketTypes[0][capacity]"]', '120');
    await organiser.fill('input[name="ticketTypes[1][name]"]', '');
    await organiser.getByLabel(/Ask for a name on each ticket/).check();
    await Promise.all([
      organiser.waitForURL('**/organiser'),
      organiser.getByRole('button', { name: /Create/ }).click(),
    ]);
    const [row] = await testApp.sql<{ id: number }[]>(
      "SELECT id FROM events WHERE title = 'Charity Gala'",
    );
    eventId = Number(row.id);
    await Promise.all([
      organiser.waitForURL('**/organiser'),
      organiser.locator(`form[action="/publish-event/${eventId}"] button[type=submit]`).click(),
    ]);
    expect(errorsSoFar()).toEqual([]);
  });

  it('shows one name field per ticket chosen, and books each ticket in its holder’s name', async () => {
    await attendee.goto(`/buy-tickets/${eventId}`);
    const names = attendee.locator('fieldset.ticket-names');
    await expect(names.isHidden()).resolves.toBe(true);
    await attendee.locator('select[name^="quantities["]').selectOption('2');
    await expect(names.getByLabel(/Name on ticket/).count()).resolves.toBe(10);
    await expect(
      attendee.getByLabel('Name on ticket 2', { exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expect(attendee.getByLabel('Name on ticket 3', { exact: true }).isHidden()).resolves.toBe(
      true,
    );
    expect(await seriousAccessibilityViolations(attendee)).toEqual([]);
    await attendee.getByLabel('Name on ticket 1', { exact: true }).fill('Ada Lovelace');
    await attendee.getByLabel('Name on ticket 2', { exact: true }).fill('Charles Babbage');
    await attendee.fill('input[name=attendeeName]', 'Ada Lovelace');
    await attendee.fill('input[name=attendeeEmail]', 'ada@example.com');
    await screenshot(attendee, 'ticket-names');
    await Promise.all([
      attendee.waitForURL('**/purchase/success?ref=*'),
      attendee.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    const tickets = attendee.locator('li.ticket');
    await expect(tickets.count()).resolves.toBe(2);
    await expect(tickets.nth(0).textContent()).resolves.toContain('Ada Lovelace');
    await expect(tickets.nth(1).textContent()).resolves.toContain('Charles Babbage');
    expect(await seriousAccessibilityViolations(attendee)).toEqual([]);
    ticketCodes = await Promise.all(
      (await tickets.locator('.ticket-reference').all()).map(
        async (code) => (await code.textContent())!,
      ),
    );
    expect(errorsSoFar()).toEqual([]);
  });

  it('names the holder at the door when their ticket is scanned', async () => {
    await organiser.goto(`/organiser/events/${eventId}/check-in`);
    await organiser.fill('input[name=reference]', ticketCodes[1]);
    await Promise.all([
      organiser.waitForLoadState(),
      organiser.getByRole('button', { name: 'Check in' }).click(),
    ]);
    await expect(organiser.textContent('main')).resolves.toContain(
      `Dinner ticket ${ticketCodes[1]} for Charles Babbage`,
    );
    expect(errorsSoFar()).toEqual([]);
  });
});
