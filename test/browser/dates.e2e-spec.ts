import type { Browser as Chromium, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchChromium,
  listen,
  registerInBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';

/**
 * A weekly series in a real browser: the organiser adds Friday and Saturday nights from a rule,
 * an attendee picks the second date by keyboard and buys, and the door lets the ticket in on
 * its own night only.
 */
describe('dates of an event in a real browser', () => {
  let testApp: TestApp;
  let chromium: Chromium;
  let organiser: Page;
  let attendee: Page;
  let pageErrors: string[][];
  let eventId: number;
  let reference: string;
  let dateIds: number[];

  beforeAll(async () => {
    testApp = await startTestApp();
    const baseUrl = await listen(testApp);
    chromium = await launchChromium();
    organiser = await (await chromium.newContext({ baseURL: baseUrl })).newPage();
    attendee = await (await chromium.newContext({ baseURL: baseUrl })).newPage();
    pageErrors = [collectPageErrors(organiser), collectPageErrors(attendee)];
    // The first account is the site's admin: it manages every event, the one seeded below too.
    await registerInBrowser(organiser, 'Quiz Master');
    ({ eventId } = await insertEvent(testApp, {
      title: 'Friday Night Quiz',
      startsAt: new Date(Date.now() + 20 * 86_400_000),
      ticketTypes: [{ name: 'Team seat', priceCents: 500, capacity: 40 }],
    }));
  });

  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
  });

  const errorsSoFar = () => pageErrors.flat();

  it('adds a weekly series on the dates page', async () => {
    await organiser.goto(`/organiser/events/${eventId}/dates`);
    expect(await seriousAccessibilityViolations(organiser)).toEqual([]);
    await organiser.getByLabel('Friday').check();
    await organiser.getByLabel('Saturday').check();
    await organiser.getByLabel(/^At/).fill('19:30');
    const from = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await organiser.getByLabel('From').fill(from);
    await organiser.getByLabel(/How many dates/).fill('4');
    await Promise.all([
      organiser.waitForURL(`**/organiser/events/${eventId}/dates`),
      organiser.getByRole('button', { name: 'Add dates' }).click(),
    ]);
    await expect(organiser.textContent('main')).resolves.toContain('4 dates added.');
    await expect(organiser.locator('tbody tr').count()).resolves.toBe(5);
    await screenshot(organiser, 'event-dates');
    dateIds = (
      await testApp.sql<{ id: number }[]>(
        'SELECT id FROM event_dates WHERE event_id = ? ORDER BY starts_at',
        [eventId],
      )
    ).map((row) => Number(row.id));
    expect(errorsSoFar()).toEqual([]);
  });

  it('lets an attendee pick the second date by keyboard and buy for it', async () => {
    await attendee.goto(`/event/${eventId}`);
    const picker = attendee.getByRole('navigation', { name: 'Dates' });
    await expect(picker.getByRole('link').count()).resolves.toBe(5);
    expect(await seriousAccessibilityViolations(attendee)).toEqual([]);
    await picker.getByRole('link').nth(1).focus();
    await Promise.all([
      attendee.waitForURL(`**/event/${eventId}?date=${dateIds[1]}`),
      attendee.keyboard.press('Enter'),
    ]);
    await expect(picker.locator('[aria-current="true"]').getAttribute('href')).resolves.toContain(
      `date=${dateIds[1]}`,
    );
    await screenshot(attendee, 'event-date-picker');
    await Promise.all([
      attendee.waitForURL(`**/buy-tickets/${eventId}?date=${dateIds[1]}`),
      attendee.getByRole('link', { name: 'Buy tickets' }).click(),
    ]);
    expect(await seriousAccessibilityViolations(attendee)).toEqual([]);
    await attendee.locator('select[name^="quantities["]').selectOption('2');
    await attendee.fill('input[name=attendeeName]', 'Quiz Team Rocket');
    await attendee.fill('input[name=attendeeEmail]', 'rocket@example.com');
    await Promise.all([
      attendee.waitForURL('**/purchase/success?ref=*'),
      attendee.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    reference = new URL(attendee.url()).searchParams.get('ref')!;
    const [booking] = await testApp.sql<{ date_id: number }[]>(
      'SELECT date_id FROM bookings WHERE reference = ?',
      [reference],
    );
    expect(Number(booking.date_id)).toBe(dateIds[1]);
    await screenshot(attendee, 'date-booked');
    expect(errorsSoFar()).toEqual([]);
  });

  it('refuses the ticket at another night’s door and lets it in on its own', async () => {
    await organiser.goto(`/organiser/events/${eventId}/check-in?date=${dateIds[2]}`);
    expect(await seriousAccessibilityViolations(organiser)).toEqual([]);
    await organiser.fill('input[name=reference]', reference);
    const [refused] = await Promise.all([
      organiser.waitForResponse((res) => res.request().method() === 'POST'),
      organiser.locator('form[action$="/check-in"] button[type=submit]').click(),
    ]);
    expect(refused.status()).toBe(409);
    await organiser.waitForLoadState();
    await expect(organiser.textContent('main')).resolves.toContain('This ticket is for');

    await Promise.all([
      organiser.waitForURL(`**/check-in?date=${dateIds[1]}`),
      organiser
        .getByRole('navigation', { name: 'The door’s date' })
        .getByRole('link')
        .nth(1)
        .click(),
    ]);
    await organiser.fill('input[name=reference]', reference);
    const [admitted] = await Promise.all([
      organiser.waitForResponse((res) => res.request().method() === 'POST'),
      organiser.locator('form[action$="/check-in"] button[type=submit]').click(),
    ]);
    expect(admitted.status()).toBe(200);
    await organiser.waitForLoadState();
    await expect(organiser.textContent('main')).resolves.toContain('Checked in:');
    await expect(organiser.textContent('main')).resolves.toContain('2 of 2 tickets checked in');
    expect(errorsSoFar()).toEqual([]);
  });
});
