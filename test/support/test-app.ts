import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import passport from 'passport';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { TransactionRunner } from '../../src/database/transaction-runner';

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
  const passportLayersBefore = passportChains()._deserializers.length;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app);
  await app.init();
  const releasePassport = scopePassportToApp(app, passportLayersBefore);
  return {
    app,
    db: app.get(DataSource),
    browser: () => new Browser(app),
    close: async () => {
      await app.close();
      releasePassport();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Deserializer = (...args: unknown[]) => void;
const passportChains = () => passport as unknown as { _deserializers: Deserializer[] };

/**
 * passport keeps one process-wide chain of user deserializers and every Nest app
 * appends its own (PassportSerializer), so with two apps in one test process the
 * first one's (possibly closed) database would load the users of both. Scopes this
 * app's deserializers to the requests it serves ('pass' on to the next otherwise)
 * and removes them when the app closes, so apps can be restarted or run side by side.
 */
function scopePassportToApp(app: INestApplication, firstLayer: number): () => void {
  const chain = passportChains()._deserializers;
  const expressApp: unknown = app.getHttpAdapter().getInstance();
  const scoped = chain.splice(firstLayer).map(
    (layer) =>
      // Three declared parameters: passport then calls it as (req, payload, done).
      (req: unknown, payload: unknown, done: unknown) =>
        (req as { app?: unknown }).app === expressApp
          ? layer(payload, done)
          : (done as (error: unknown) => void)('pass'),
  );
  chain.push(...scoped);
  return () => {
    const current = passportChains()._deserializers;
    for (const layer of scoped) {
      const index = current.indexOf(layer);
      if (index >= 0) current.splice(index, 1);
    }
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
    const body = new URLSearchParams(
      Object.entries(fields).map(([key, value]): [string, string] => [key, String(value)]),
    );
    return this.agent.post(path).type('form').send(body.toString());
  }
}

let emailCounter = 0;
export const uniqueEmail = (name = 'organiser') =>
  `${name}-${process.pid}-${++emailCounter}@example.com`;

export async function register(
  browser: Browser,
  email = uniqueEmail(),
  displayName = 'Olive Organiser',
) {
  const res = await browser.submit(
    '/register',
    { email, password: 'correct horse battery', displayName },
    '/register',
  );
  if (res.status !== 303)
    throw new Error(`registration failed: ${res.status} ${res.text.slice(0, 300)}`);
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
  if (res.status !== 303)
    throw new Error(`create-event failed: ${res.status} ${res.text.slice(0, 500)}`);
  const [{ id }] = await testApp.db.query<{ id: number }[]>('SELECT MAX(id) AS id FROM events');
  if (publish) {
    const published = await browser.submit(`/publish-event/${id}`, {}, '/organiser');
    if (published.status !== 303) throw new Error(`publish failed: ${published.status}`);
  }
  return Number(id);
}

export async function ticketTypesOf(testApp: TestApp, eventId: number) {
  return testApp.db.query<
    { id: number; name: string; capacity: number; sold: number; price_cents: number }[]
  >(
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

// ---- Booking helpers (added for the purchase and concurrency tests) ----

/** The value of a hidden form field in a page, e.g. `hiddenField(page.text, 'idempotencyKey')`. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field "${name}" in the page`);
  return match[1];
}

/** Runs SQL as one queued write transaction, the way the app itself writes (never inside someone else's booking). */
export async function writeSql(
  testApp: TestApp,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  await testApp.app.get(TransactionRunner).run((manager) => manager.query(sql, params));
}

/** A timestamp as TypeORM stores it in SQLite (UTC, `YYYY-MM-DD HH:mm:ss.SSS`). */
export function sqliteDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export interface SeedTicketType {
  name?: string;
  priceCents?: number;
  capacity: number;
  sold?: number;
}

export interface SeedEvent {
  title?: string;
  status?: 'draft' | 'published';
  startsAt?: Date;
  maxTicketsPerType?: number;
  ticketTypes: SeedTicketType[];
}

/**
 * Inserts an organiser, an event (published and a month ahead unless told otherwise)
 * and its ticket types straight into the database, without HTTP; returns the ids in order.
 */
export async function insertEvent(
  testApp: TestApp,
  seed: SeedEvent,
): Promise<{ eventId: number; ticketTypeIds: number[] }> {
  return testApp.app.get(TransactionRunner).run(async (manager) => {
    const lastId = async () =>
      Number((await manager.query<{ id: number }[]>('SELECT last_insert_rowid() AS id'))[0].id);
    await manager.query(
      "INSERT INTO users (email, password_hash, display_name, role) VALUES (?, 'not-a-hash', 'Seed Organiser', 'organiser')",
      [uniqueEmail('seed')],
    );
    const organiserId = await lastId();
    const status = seed.status ?? 'published';
    await manager.query(
      `INSERT INTO events (organiser_id, title, description, venue, starts_at, status, published_at, max_tickets_per_type)
       VALUES (?, ?, '', 'Seed Hall', ?, ?, ?, ?)`,
      [
        organiserId,
        seed.title ?? 'Seeded event',
        sqliteDateTime(seed.startsAt ?? new Date(Date.now() + 30 * 86_400_000)),
        status,
        status === 'published' ? sqliteDateTime(new Date()) : null,
        seed.maxTicketsPerType ?? 10,
      ],
    );
    const eventId = await lastId();
    const ticketTypeIds: number[] = [];
    for (const [index, type] of seed.ticketTypes.entries()) {
      await manager.query(
        'INSERT INTO ticket_types (event_id, name, price_cents, capacity, sold, sort_order) VALUES (?, ?, ?, ?, ?, ?)',
        [
          eventId,
          type.name ?? `Type ${index + 1}`,
          type.priceCents ?? 1000,
          type.capacity,
          type.sold ?? 0,
          index,
        ],
      );
      ticketTypeIds.push(await lastId());
    }
    return { eventId, ticketTypeIds };
  });
}
