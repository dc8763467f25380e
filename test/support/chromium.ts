import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { type TestApp, uniqueEmail } from './test-app';

/** Debian's Chromium (`apt-get install -y chromium`); jest.config.js skips test/browser without it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');

export function launchChromium(): Promise<Chromium> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The test app on a real port of its own, for a real browser. */
export async function listen(testApp: TestApp): Promise<string> {
  await testApp.app.listen(0, '127.0.0.1');
  const server = testApp.app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Registers an account through the registration form, as a person does; lands on the dashboard. */
export async function registerInBrowser(page: Page, displayName: string): Promise<void> {
  await page.goto('/register');
  await page.fill('input[name=email]', uniqueEmail('browser'));
  await page.fill('input[name=displayName]', displayName);
  await page.fill('input[name=password]', 'correct horse battery');
  await Promise.all([page.waitForURL('**/organiser'), page.click('button[type=submit]')]);
}

/** Every console error and failed request of a page: a CSP refusal or a missing asset shows here. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // Answers with an error status are reported below, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.on('response', (response) => {
    const expected = response.request().isNavigationRequest() && response.status() < 500;
    if (response.status() >= 400 && !expected)
      errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
  return errors;
}

/** A full-page screenshot under test/artifacts/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical findings on the page, as `rule: help (elements)`. axe is
 * evaluated through the DevTools protocol, so the page's own CSP stays in force.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    'axe.run().then((results) => results.violations)',
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/** True when the page needs sideways scrolling at its current viewport width. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth',
  );
}

/** Whether an <img> shows a picture, once it has loaded (a lazy one: once scrolled to). */
export const isLoadedImage = (img: unknown) => {
  const image = img as { decode(): Promise<void>; naturalWidth: number };
  return image.decode().then(
    () => image.naturalWidth > 0,
    () => false,
  );
};
