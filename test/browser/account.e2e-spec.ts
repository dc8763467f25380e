import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser as Chromium, Page } from 'playwright-core';
import {
  collectPageErrors,
  isLoadedImage,
  launchChromium,
  listen,
  screenshot,
  scrollsSideways,
  seriousAccessibilityViolations,
} from '../support/chromium';
import { eventually } from '../support/eventually';
import { decodeQuotedPrintable } from '../support/quoted-printable';
import { startTestApp, TestApp, uniqueEmail } from '../support/test-app';

/**
 * Looking after an account in a real browser, on a phone-sized screen: a forgotten password
 * reset through the mailed link, then two-factor sign-in set up with the key from the page and
 * asked for at the next login.
 */
describe('account safety in a real browser', () => {
  let testApp: TestApp;
  let outboxDir: string;
  let chromium: Chromium;
  let page: Page;
  let errors: string[];
  const email = uniqueEmail('phone');

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'account-journey-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    const baseUrl = await listen(testApp);
    chromium = await launchChromium();
    const context = await chromium.newContext({
      baseURL: baseUrl,
      viewport: { width: 375, height: 740 },
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await chromium?.close();
    await testApp?.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const checkPage = async (name: string) => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
    expect(await scrollsSideways(page)).toBe(false);
  };
  const logOut = () =>
    Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: /^Log out \(/ }).click(),
    ]);
  const logIn = async (password: string) => {
    await page.goto('/login');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/login'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
  };

  it('resets a forgotten password through the mailed link', async () => {
    await page.goto('/register');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=displayName]', 'Pia Phone');
    await page.fill('input[name=password]', 'correct horse battery');
    await Promise.all([page.waitForURL('**/organiser'), page.click('button[type=submit]')]);
    await logOut();

    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.fill('input[name=email]', email);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await expect(page.textContent('[data-reset-requested]')).resolves.toContain(email);
    await checkPage('forgot-password');

    const mail = await eventually(
      () =>
        readdirSync(outboxDir)
          .filter((name) => name.endsWith('-account.password_reset.eml'))
          .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))[0],
      'the reset mail',
    );
    const link = /https?:\/\/\S+\/reset-password\?token=[0-9]+\.[A-Za-z0-9_-]{43}/.exec(mail)![0];
    await page.goto(new URL(link).pathname + new URL(link).search);
    await page.fill('input[name=password]', 'purple staple lantern');
    await checkPage('reset-password');
    await Promise.all([
      page.waitForURL('**/login'),
      page.getByRole('button', { name: 'Change password' }).click(),
    ]);
    await expect(page.textContent('.alert-success')).resolves.toContain(
      'Log in with the new password',
    );
    await logIn('purple staple lantern');
    expect(new URL(page.url()).pathname).toBe('/organiser');
  });

  it('sets up two-factor sign-in, and the next login asks for a code', async () => {
    await Promise.all([
      page.waitForURL('**/account'),
      page.getByRole('link', { name: 'Account' }).click(),
    ]);
    await checkPage('account');
    await Promise.all([
      page.waitForURL('**/account/2fa/setup'),
      page.getByRole('button', { name: 'Set up two-factor sign-in' }).click(),
    ]);
    await expect(page.locator('[data-totp-qr] img').evaluate(isLoadedImage)).resolves.toBe(true);
    const secret = (await page.textContent('[data-totp-secret]'))!.replace(/ /g, '');
    await checkPage('two-factor-setup');
    await page.fill('input[name=code]', TOTP.generate({ secret: Secret.fromBase32(secret) }));
    await Promise.all([
      page.waitForURL('**/account/2fa/enable'),
      page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click(),
    ]);
    await expect(page.locator('[data-recovery-codes] li').count()).resolves.toBe(10);
    await checkPage('recovery-codes');
    await Promise.all([
      page.waitForURL('**/account'),
      page.getByRole('link', { name: 'I have kept them' }).click(),
    ]);
    await logOut();

    await logIn('purple staple lantern');
    expect(new URL(page.url()).pathname).toBe('/login/2fa');
    await checkPage('login-2fa');
    const next = TOTP.generate({
      secret: Secret.fromBase32(secret),
      timestamp: Date.now() + 30_000,
    });
    await page.fill('input[name=code]', next);
    await Promise.all([
      page.waitForURL('**/organiser'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    expect(errors).toEqual([]);
  });
});
