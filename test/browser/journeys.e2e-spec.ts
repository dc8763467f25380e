import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchChromium,
  listen,
  registerInBrowser,
  screenshot,
  scrollsSideways,
  seriousAccessibilityViolations,
  isLoadedImage,
} from '../support/chromium';
import { insertEvent, startTestApp, TestApp } from '../support/test-app';

/** Runs in the page: the `<img>` was fetched and decoded (the CSP let it through). */
/**
 * The whole site in a real browser (Debian's Chromium): an organiser sets up an event, an
 * anonymous attendee buys, the door checks them in, the booking is cancelled, and the
 * dashboard's chart follows. Every main page is checked with axe-core and at 375 px wide.
 */
describe('in a real browser', () => {
  let testApp: TestApp;
  let chromium: Chromium;
  let baseUrl: string;
  let organiserContext: BrowserContext;
  let attendeeContext: BrowserContext;
  let organiser: Page;
  let attendee: Page;
  let pageErrors: string[][];
  let eventId: number;
  let bookingPath: string;
  let reference: string;
  let ticketCodes: string[];

  beforeAll(async () => {
    testApp = await startTestApp();
    // Other events on sale, so the attendee's list looks like a real box office's.
    for (const [title, days] of [
      ['Jazz on the Roof', 20],
      ['Science Slam', 45],
    ] as const) {
      await insertEvent(testApp, {
        title,
        startsAt: new Date(Date.now() + days * 86_400_000),
        ticketTypes: [{ priceCents: 1800, capacity: 120, sold: 37 }],
      });
    }
    baseUrl = await listen(testApp);
    chromium = await launchChromium();
    organiserContext = await chromium.newContext({ baseURL: baseUrl });
    attendeeContext = await chromium.newContext({ baseURL: baseUrl });
    organiser = await organiserContext.newPage();
    attendee = await attendeeContext.newPage();
    pageErrors = [collectPageErrors(organiser), collectPageErrors(attendee)];
    // data-confirm forms (cancel, delete) ask first: say yes, as a user would.
    for (const page of [organiser, attendee]) page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
  });

  /** Console errors, CSP refusals and failed requests of both browsers so far. */
  const errorsSoFar = () => pageErrors.flat();

  it('lets an organiser register, create an event with two ticket types and publish it', async () => {
    await registerInBrowser(organiser, 'Door Organiser');

    await organiser.goto('/create-event');
    await organiser.fill('input[name=title]', 'Harbour Lights Festival');
    await organiser.fill('textarea[name=description]', 'Three stages by the water.');
    await organiser.fill('input[name=venue]', 'Pier 4');
    await organiser.fill('input[name=startsAt]', '2099-07-01T19:30');
    await organiser.fill('#tt-0-name', 'Standard');
    await organiser.fill('#tt-0-price', '25.00');
    await organiser.fill('#tt-0-capacity', '100');
    if ((await organiser.locator('#tt-1-name').count()) === 0) {
      await organiser.click('[data-add-row]');
    }
    await organiser.fill('#tt-1-name', 'Concession');
    await organiser.fill('#tt-1-price', '12.50');
    await organiser.fill('#tt-1-capacity', '50');
    await Promise.all([
      organiser.waitForURL('**/organiser'),
      organiser.click('form.form button[type=submit]'),
    ]);

    const card = organiser.locator('section.dashboard-event', {
      hasText: 'Harbour Lights Festival',
    });
    await Promise.all([
      organiser.waitForURL('**/organiser'),
      card.getByRole('button', { name: 'Publish' }).click(),
    ]);
    const editHref = await organiser
      .locator('a[href^="/edit-event/"]', { hasText: /edit/i })
      .first()
      .getAttribute('href');
    eventId = Number(/\/edit-event\/(\d+)/.exec(editHref ?? '')?.[1]);
    expect(eventId).toBeGreaterThan(0);
    await expect(card.textContent()).resolves.toMatch(/published/i);
    expect(errorsSoFar()).toEqual([]);
  });

  it('lets an anonymous attendee find the event and buy tickets, and shows the QR code', async () => {
    await attendee.goto('/attendee');
    await screenshot(attendee, 'attendee-page');
    await Promise.all([
      attendee.waitForURL(`**/event/${eventId}`),
      attendee
        .getByRole('link', { name: /Harbour Lights Festival/ })
        .first()
        .click(),
    ]);
    await Promise.all([
      attendee.waitForURL(`**/buy-tickets/${eventId}`),
      attendee.getByRole('link', { name: 'Buy tickets' }).click(),
    ]);
    const selects = attendee.locator('select[name^="quantities["]');
    await expect(selects.count()).resolves.toBe(2);
    await selects.nth(0).selectOption('2');
    await selects.nth(1).selectOption('1');
    await attendee.fill('input[name=attendeeName]', 'Ada Attendee');
    await attendee.fill('input[name=attendeeEmail]', 'ada@example.com');
    await Promise.all([
      attendee.waitForURL('**/purchase/success?ref=*'),
      attendee.getByRole('button', { name: 'Book tickets' }).click(),
    ]);
    reference = new URL(attendee.url()).searchParams.get('ref')!;
    expect(reference).toMatch(/^[0-9A-Z]+$/);
    await expect(attendee.textContent('body')).resolves.toContain('62.50');
    const qrCodes = attendee.locator('img.ticket-qr');
    await expect(qrCodes.count()).resolves.toBe(3);
    ticketCodes = await Promise.all(
      (await qrCodes.all()).map(async (image) =>
        (await image.getAttribute('alt'))!.replace('QR code of ticket ', ''),
      ),
    );
    for (const code of ticketCodes) expect(code).toMatch(/^[0-9A-Z]{16}$/);
    await expect(qrCodes.first().evaluate(isLoadedImage)).resolves.toBe(true);
    await screenshot(attendee, 'purchase-success');
    bookingPath = (await attendee
      .getByRole('link', { name: /this link to your booking/ })
      .getAttribute('href'))!;
    expect(bookingPath).toContain(`/booking/${reference}?secret=`);
    expect(errorsSoFar()).toEqual([]);
  });

  it('checks one ticket in at the door, then the rest by the reference, and says "already" the second time', async () => {
    await organiser.goto('/organiser');
    await Promise.all([
      organiser.waitForURL(`**/organiser/events/${eventId}/check-in`),
      organiser.locator(`a[href="/organiser/events/${eventId}/check-in"]`).first().click(),
    ]);
    await organiser.fill('input[name=reference]', ticketCodes[0]);
    await organiser.locator('form[action$="/check-in"] button[type=submit]').click();
    await organiser.waitForLoadState();
    await expect(organiser.textContent('main')).resolves.toMatch(/checked in/i);
    await expect(organiser.textContent('main')).resolves.toContain('Ada Attendee');
    await expect(organiser.textContent('main')).resolves.toContain('1 of 3 tickets checked in');
    await screenshot(organiser, 'check-in');

    await organiser.fill('input[name=reference]', reference);
    await organiser.locator('form[action$="/check-in"] button[type=submit]').click();
    await organiser.waitForLoadState();
    await expect(organiser.textContent('main')).resolves.toContain('2 tickets let in now');

    await organiser.fill('input[name=reference]', reference);
    await organiser.locator('form[action$="/check-in"] button[type=submit]').click();
    await organiser.waitForLoadState();
    await expect(organiser.textContent('main')).resolves.toMatch(/already checked in at/i);
    expect(errorsSoFar()).toEqual([]);
  });

  it('shows the sale on the dashboard chart, and takes it off when the booking is cancelled', async () => {
    const eventCard = async () => {
      await organiser.goto('/organiser');
      return organiser.locator('section.dashboard-event', { hasText: 'Harbour Lights Festival' });
    };
    const chart = (await eventCard()).locator('[role=img]');
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(/: 3 of 150\b/);
    await screenshot(organiser, 'organiser-dashboard');

    await attendee.goto(bookingPath);
    await Promise.all([
      attendee.waitForLoadState(),
      attendee.getByRole('button', { name: 'Cancel this booking' }).click(),
    ]);
    await expect(attendee.textContent('main')).resolves.toMatch(/cancelled/i);
    const card = await eventCard();
    await expect(card.locator('[role=img]').count()).resolves.toBe(0);
    await expect(card.textContent()).resolves.toContain('No sales yet');
    const types = await testApp.sql<{ sold: number }[]>(
      'SELECT sold FROM ticket_types WHERE event_id = ? ORDER BY sort_order',
      [eventId],
    );
    expect(types.map((type) => Number(type.sold))).toEqual([0, 0]);
    expect(errorsSoFar()).toEqual([]);
  });

  describe('every main page', () => {
    const pages = (): [string, Page, string][] => [
      ['home', attendee, '/'],
      ['attendee', attendee, '/attendee'],
      ['event', attendee, `/event/${eventId}`],
      ['buy tickets', attendee, `/buy-tickets/${eventId}`],
      ['booking', attendee, bookingPath],
      ['login', attendee, '/login'],
      ['register', attendee, '/register'],
      ['dashboard', organiser, '/organiser'],
      ['create event', organiser, '/create-event'],
      ['edit event', organiser, `/edit-event/${eventId}`],
      ['check-in', organiser, `/organiser/events/${eventId}/check-in`],
      ['bookings', organiser, `/organiser/events/${eventId}/bookings`],
    ];

    it('has no serious or critical accessibility violations (axe-core)', async () => {
      const found: Record<string, string[]> = {};
      for (const [name, page, path] of pages()) {
        await page.goto(path);
        const violations = await seriousAccessibilityViolations(page);
        if (violations.length) found[name] = violations;
      }
      expect(found).toEqual({});
    });

    it('is usable 375 px wide: nothing needs sideways scrolling', async () => {
      const sideways: string[] = [];
      for (const [name, page, path] of pages()) {
        await page.setViewportSize({ width: 375, height: 812 });
        await page.goto(path);
        if (await scrollsSideways(page)) sideways.push(name);
        if (name === 'attendee' || name === 'dashboard') await screenshot(page, `${name}-375px`);
      }
      expect(sideways).toEqual([]);
      expect(errorsSoFar()).toEqual([]);
    });
  });
});
