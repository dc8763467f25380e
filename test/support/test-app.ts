import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  /** A new cookie-keeping client, like a fresh browser. */
  browser(): Browser;
  close(): Promise<void>;
}

/** Boots the real app (configureApp included) on a fresh temporary SQLite file. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-test-'));
  const config = new AppConfig({
    DATABASE_URL: `sqlite:${join(dir, 'test.sqlite')}`,
    SESSION_SECRET: 'test-session-secret',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  return {
    app,
    db: app.get(DataSource),
    browser: () => new Browser(app),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type FormFields = Record<string, string | number>;

/** Drives the app over HTTP the way a browser does: cookies kept, CSRF token taken from the page's forms. */
export class Browser {
  readonly agent: ReturnType<typeof request.agent>;

  constructor(app: INestApplication) {
    this.agent = request.agent(app.getHttpServer());
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** The session's CSRF token, read from a page with a form (as a user would load the form first). */
  async csrfToken(fromPath = '/login'): Promise<string> {
    const page = await this.agent.get(fromPath);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`no CSRF token on ${fromPath} (status ${page.status})`);
    return match[1];
  }

  /** Posts a form with the session's CSRF token, like submitting it in a browser. */
  async submit(path: string, fields: FormFields = {}, csrfFrom = '/login') {
    const _csrf = await this.csrfToken(csrfFrom);
    return this.post(path, { ...fields, _csrf });
  }

  /** Posts exactly these fields (no CSRF token added). */
  post(path: string, fields: FormFields) {
    const body = new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)]));
    return this.agent.post(path).type('form').send(body.toString());
  }
}

let emailCounter = 0;
export const uniqueEmail = (name = 'organiser') => `${name}-${process.pid}-${++emailCounter}@example.com`;

export async function register(browser: Browser, email = uniqueEmail(), displayName = 'Olive Organiser') {
  const res = await browser.submit('/register', { email, password: 'correct horse battery', displayName }, '/register');
  if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${res.text.slice(0, 300)}`);
  return email;
}

export function futureDateTime(daysAhead = 30): string {
  const date = new Date(Date.now() + daysAhead * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function eventFields(overrides: FormFields = {}): FormFields {
  return {
    title: 'Jazz Night',
    description: 'An evening of jazz.',
    venue: 'The Blue Room',
    startsAt: futureDateTime(),
    'ticketTypes[0][name]': 'Full price',
    'ticketTypes[0][price]': '25.00',
    'ticketTypes[0][capacity]': '100',
    'ticketTypes[1][name]': 'Concession',
    'ticketTypes[1][price]': '12.50',
    'ticketTypes[1][capacity]': '50',
    ...overrides,
  };
}

/** Creates (and by default publishes) an event as the logged-in organiser; returns its id. */
export async function createEvent(
  testApp: TestApp,
  browser: Browser,
  overrides: FormFields = {},
  { publish = true } = {},
): Promise<number> {
  const res = await browser.submit('/create-event', eventFields(overrides), '/create-event');
  if (res.status !== 303) throw new Error(`create-event failed: ${res.status} ${res.text.slice(0, 500)}`);
  const [{ id }] = await testApp.db.query<{ id: number }[]>('SELECT MAX(id) AS id FROM events');
  if (publish) {
    const published = await browser.submit(`/publish-event/${id}`, {}, '/organiser');
    if (published.status !== 303) throw new Error(`publish failed: ${published.status}`);
  }
  return Number(id);
}

export async function ticketTypesOf(testApp: TestApp, eventId: number) {
  return testApp.db.query<{ id: number; name: string; capacity: number; sold: number; price_cents: number }[]>(
    'SELECT id, name, capacity, sold, price_cents FROM ticket_types WHERE event_id = ? ORDER BY sort_order, id',
    [eventId],
  );
}

/** Every ticket type's `sold` equals the sum of its confirmed booking items: the core invariant. */
export async function soldMatchesConfirmedItems(testApp: TestApp): Promise<boolean> {
  const rows = await testApp.db.query<{ id: number; sold: number; booked: number }[]>(
    `SELECT tt.id, tt.sold, COALESCE(SUM(CASE WHEN b.status = 'confirmed' THEN bi.quantity ELSE 0 END), 0) AS booked
       FROM ticket_types tt
       LEFT JOIN booking_items bi ON bi.ticket_type_id = tt.id
       LEFT JOIN bookings b ON b.id = bi.booking_id
      GROUP BY tt.id, tt.sold`,
  );
  return rows.every((row) => Number(row.sold) === Number(row.booked));
}
