import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as Chromium, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchChromium,
  listen,
  screenshot,
  scrollsSideways,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { eventually } from '../support/eventually';
import { decodeQuotedPrintable } from '../support/quoted-printable';
import {
  buyWithForm,
  createEvent,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from '../support/test-app';

const PASSWORD = 'correct horse battery';

/**
 * A door volunteer, as a box office would bring one in: the owner invites them from the team
 * page; on their phone they open the mailed link, create an account, join, and check a ticket
 * in at the door, and nothing else of the organisation is theirs to see.
 */
describe('a door volunteer in a real browser', () => {
  let testApp: TestApp;
  let outboxDir: string;
  let chromium: Chromium;
  let owner: Page;
  let phone: Page;
  let ownerErrors: string[];
  let phoneErrors: string[];
  let eventId: number;
  let reference: string;
  const ownerEmail = uniqueEmail('owner');
  const volunteerEmail = uniqueEmail('volunteer');

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'team-journey-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    await register(testApp.browser(), uniqueEmail('admin'), 'Ada Admin');
    const setUp = testApp.browser();
    await register(setUp, ownerEmail, 'Harbour Hall');
    eventId = await createEvent(testApp, setUp, { title: 'Harbour night' });
    ({ reference } = await buyWithForm(testApp, eventId, { attendeeName: 'Gus Guest' }));

    const baseUrl = await listen(testApp);
    chromium = await launchChromium();
    owner = await (
      await chromium.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } })
    ).newPage();
    phone = await (
      await chromium.newContext({ baseURL: baseUrl, viewport: { width: 375, height: 740 } })
    ).newPage();
    ownerErrors = collectPageErrors(owner);
    phoneErrors = collectPageErrors(phone);
  });
  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const checkPage = async (page: Page, name: string) => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
    expect(await scrollsSideways(page)).toBe(false);
  };

  it('the owner invites a volunteer as door staff from the team page', async () => {
    await owner.goto('/login');
    await owner.fill('input[name=email]', ownerEmail);
    await owner.fill('input[name=password]', PASSWORD);
    await Promise.all([
      owner.waitForURL('**/organiser'),
      owner.getByRole('button', { name: 'Log in' }).click(),
    ]);
    await Promise.all([
      owner.waitForURL('**/organiser/team'),
      owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click(),
    ]);
    await owner.fill('input[name=email]', volunteerEmail);
    await owner.check('input[name=role][value=door]');
    await checkPage(owner, 'team');
    await Promise.all([
      owner.waitForURL('**/organiser/team'),
      owner.getByRole('button', { name: 'Send invitation' }).click(),
    ]);
    await expect(owner.textContent('.alert-success')).resolves.toContain(volunteerEmail);
    await expect(owner.textContent(`[data-invitation="${volunteerEmail}"]`)).resolves.toContain(
      'door',
    );
    expect(ownerErrors).toEqual([]);
  });

  it('on a phone, the volunteer follows the mailed link, creates an account and joins', async () => {
    const mail = await eventually(
      () =>
        readdirSync(outboxDir)
          .filter((name) => name.endsWith('-team.invitation.eml'))
          .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
          .find((text) => text.includes(volunteerEmail)),
      'the invitation mail',
    );
    const link = new URL(
      /https?:\/\/\S+\/invitations\/accept\?token=[0-9]+\.[A-Za-z0-9_-]{43}/.exec(mail)![0],
    );
    await phone.goto(link.pathname + link.search);
    await expect(phone.textContent('h1')).resolves.toBe('Join Harbour Hall');
    await checkPage(phone, 'invitation');
    await Promise.all([
      phone.waitForURL('**/register?next=*'),
      phone.getByRole('link', { name: 'Create an account' }).click(),
    ]);
    await phone.fill('input[name=displayName]', 'Vic Volunteer');
    await phone.fill('input[name=email]', volunteerEmail);
    await phone.fill('input[name=password]', PASSWORD);
    await Promise.all([
      phone.waitForURL('**/invitations/accept?token=*'),
      phone.click('button[type=submit]'),
    ]);
    await Promise.all([
      phone.waitForURL('**/organiser'),
      phone.getByRole('button', { name: 'Join Harbour Hall' }).click(),
    ]);
    await expect(phone.textContent('.alert-success')).resolves.toContain(
      'you joined as door staff',
    );
    await expect(phone.textContent('[data-organisation]')).resolves.toBe('Harbour Hall');
    await checkPage(phone, 'door-dashboard');
    expect(phoneErrors).toEqual([]);
  });

  it('checks a ticket in at the door, and sees nothing else of the organisation', async () => {
    await Promise.all([
      phone.waitForURL(`**/organiser/events/${eventId}/check-in`),
      phone.getByRole('link', { name: 'Check in' }).click(),
    ]);
    await phone.fill('input[name=reference]', reference);
    await Promise.all([
      phone.waitForLoadState(),
      phone.getByRole('button', { name: 'Check in' }).click(),
    ]);
    await expect(phone.textContent('main')).resolves.toContain('Gus Guest');
    await checkPage(phone, 'door-check-in');

    await phone.goto(`/organiser/events/${eventId}/bookings`);
    const bookings = (await phone.textContent('main'))!;
    expect(bookings).toContain('Gus Guest');
    expect(bookings).not.toMatch(/Total|Refund|Download CSV/);
    await checkPage(phone, 'door-bookings');

    const nav = phone.getByRole('navigation', { name: 'Main' });
    for (const hidden of ['New event', 'Team', 'Webhooks'])
      await expect(nav.getByRole('link', { name: hidden }).count()).resolves.toBe(0);
    for (const path of [
      `/edit-event/${eventId}`,
      `/organiser/events/${eventId}/sales`,
      `/organiser/events/${eventId}/bookings.csv`,
      '/organiser/team',
      '/create-event',
    ]) {
      const answer = await phone.goto(path);
      expect([path, answer!.status()]).toEqual([path, 404]);
    }
    expect(phoneErrors).toEqual([]);
  });
});
