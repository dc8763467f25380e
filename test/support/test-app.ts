import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import passport from 'passport';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { User } from '../../src/auth/entities/user.entity';
import { Membership } from '../../src/auth/entities/membership.entity';
import { Organisation } from '../../src/auth/entities/organisation.entity';
import type { SessionUser } from '../../src/auth/session-user';
import { AppConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { DomainEvents } from '../../src/domain-events/domain-events.service';
import { Event } from '../../src/events/entities/event.entity';
import { DateInventory } from '../../src/events/entities/date-inventory.entity';
import { EventDate } from '../../src/events/entities/event-date.entity';
import { TicketType } from '../../src/events/entities/ticket-type.entity';
import { createTestDatabase } from './test-database';

/** The app's services on a fresh database, without HTTP: what the service specs need. */
export interface TestServices {
  app: INestApplicationContext;
  /** The app's reader: what its pages and API read (on SQLite a read-only connection). */
  db: DataSource;
  /**
   * Runs SQL written with `?` placeholders on whichever database the app runs on: a read on
   * the reader, anything else as a transaction of the app's own (TransactionRunner).
   */
  sql<T = Record<string, unknown>[]>(text: string, params?: unknown[]): Promise<T>;
  /** Runs `work` in a write transaction of the app's, as its services write. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The real app over HTTP (configureApp included). */
export interface TestApp extends TestServices {
  app: INestApplication;
  /** A new cookie-keeping client, like a fresh browser. */
  browser(): Browser;
}

/**
 * The app's modules, compiled on a fresh database of this project's kind (SQLite or
 * PostgreSQL), or on `env.DATABASE_URL` when a test brings its own; `start` makes of them
 * what the test needs (an HTTP app, or the bare context).
 */
async function startOnTestDatabase<App extends INestApplicationContext>(
  env: NodeJS.ProcessEnv,
  start: (moduleRef: TestingModule) => Promise<App>,
): Promise<
  { app: App; db: DataSource; cleanUp: () => Promise<void> } & Omit<
    TestServices,
    'app' | 'db' | 'close'
  >
> {
  const ownDatabase = env.DATABASE_URL ? undefined : await createTestDatabase();
  // Mails the app writes as .eml files (no SMTP_URL) land here, never in the repository's data/.
  const outboxDir = mkdtempSync(join(tmpdir(), 'boxoffice-outbox-'));
  const cleanUp = async () => {
    await ownDatabase?.drop();
    rmSync(outboxDir, { recursive: true, force: true });
  };
  let app: App;
  try {
    const config = new AppConfig({
      DATABASE_URL: ownDatabase?.url,
      SESSION_SECRET: 'test-session-secret',
      OUTBOX_DIR: outboxDir,
      // Every test client comes from 127.0.0.1: the limits per address are lifted, and the tests
      // about them set the real ones (test/rate-limits, test/crowd with an address per buyer).
      PURCHASES_PER_IP_PER_MINUTE: '0',
      EVENTS_PER_ORGANISER_PER_HOUR: '0',
      AUTH_ATTEMPTS_PER_IP: '1000000',
      LOGIN_FAILURES_PER_ACCOUNT: '1000000',
      API_REQUESTS_PER_MINUTE: '1000000',
      ...env,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config)],
    }).compile();
    app = await start(moduleRef);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const db = app.get(DataSource);
  const transactions = app.get(TransactionRunner);
  return {
    app,
    db,
    cleanUp,
    sql: (text, params) =>
      /^\s*SELECT\b/i.test(text)
        ? db.query(placeholdersFor(db, text), params)
        : transactions.run((manager) => manager.query(placeholdersFor(db, text), params)),
    write: (work) => transactions.run(work),
  };
}

/** The app's services and database, started without an HTTP server (the fast tier: npm run test:unit). */
export async function startTestServices(env: NodeJS.ProcessEnv = {}): Promise<TestServices> {
  const { cleanUp, ...services } = await startOnTestDatabase(env, async (moduleRef) => {
    moduleRef.useLogger(['error']);
    return moduleRef.init();
  });
  return {
    ...services,
    close: async () => {
      await services.app.close();
      await cleanUp();
    },
  };
}

/** Boots the real app over HTTP (configureApp included), as users run it. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const passportLayersBefore = passportChains()._deserializers.length;
  const strategiesBefore = { ...passportChains()._strategies };
  const { cleanUp, ...started } = await startOnTestDatabase(env, async (moduleRef) => {
    const app = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: ['error'],
    });
    configureApp(app);
    await app.init();
    return app;
  });
  const releasePassport = scopePassportToApp(started.app, passportLayersBefore);
  return {
    ...started,
    browser: () => new Browser(started.app),
    close: async () => {
      await started.app.close();
      releasePassport();
      // This app registered its login strategy over an earlier app's: that app logs in with its own again.
      Object.assign(passportChains()._strategies, strategiesBefore);
      await cleanUp();
    },
  };
}

/** PostgreSQL numbers its placeholders ($1, $2…) where SQLite takes `?`. */
function placeholdersFor(db: DataSource, text: string): string {
  if (db.options.type !== 'postgres') return text;
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

type Deserializer = (...args: unknown[]) => void;
const passportChains = () =>
  passport as unknown as { _deserializers: Deserializer[]; _strategies: Record<string, unknown> };

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
    return this.agent.post(path).type('form').send(formEncoded(fields));
  }
}

/** Form fields as a browser sends them (application/x-www-form-urlencoded). */
export const formEncoded = (fields: FormFields) =>
  new URLSearchParams(
    Object.entries(fields).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();

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

/**
 * The cast of tests about who may do what: the first account (so the admin) and two
 * organisers, each logged in in a browser of their own.
 */
export async function registerAdminAndTwoOrganisers(testApp: TestApp) {
  const admin = testApp.browser();
  await register(admin, uniqueEmail('admin'), 'Ada Admin');
  const organiserA = testApp.browser();
  const emailA = await register(organiserA, uniqueEmail('alice'), 'Alice Organiser');
  const organiserB = testApp.browser();
  await register(organiserB, uniqueEmail('bob'), 'Bob Organiser');
  return { admin, organiserA, emailA, organiserB };
}

/** Creates an API token as an admin on /api-tokens, exactly as a user would, and reads it from the page. */
export async function createApiToken(admin: Browser, name = 'script'): Promise<string> {
  const res = await admin.submit('/api-tokens', { name }, '/api-tokens');
  if (res.status !== 201) throw new Error(`creating a token failed: ${res.status}`);
  return /<code data-api-token>([^<]+)<\/code>/.exec(res.text)![1];
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
  const [{ id }] = await testApp.sql<{ id: number }[]>('SELECT MAX(id) AS id FROM events');
  if (publish) {
    const published = await browser.submit(`/publish-event/${id}`, {}, '/organiser');
    if (published.status !== 303) throw new Error(`publish failed: ${published.status}`);
  }
  return Number(id);
}

export async function ticketTypesOf(testApp: TestServices, eventId: number) {
  return testApp.sql<
    { id: number; name: string; capacity: number; sold: number; price_cents: number }[]
  >(
    'SELECT id, name, capacity, sold, price_cents FROM ticket_types WHERE event_id = ? ORDER BY sort_order, id',
    [eventId],
  );
}

/**
 * Makes the account with this email the organiser of the event, in its own organisation (the
 * one it owns): to try an organiser's pages on an event seeded without HTTP.
 */
export async function giveEventTo(testApp: TestServices, eventId: number, email: string) {
  await writeSql(
    testApp,
    `UPDATE events SET
       organiser_id = (SELECT id FROM users WHERE email = ?),
       organisation_id = (SELECT MIN(memberships.organisation_id) FROM memberships
         JOIN users ON users.id = memberships.user_id WHERE users.email = ? AND memberships.role = 'owner')
     WHERE id = ?`,
    [email, email, eventId],
  );
}

/** The organiser of an event, as a logged-in request would carry them: to call services as them. */
export async function organiserOf(testApp: TestServices, eventId: number): Promise<SessionUser> {
  const [{ organiser_id }] = await testApp.sql<{ organiser_id: number }[]>(
    'SELECT organiser_id FROM events WHERE id = ?',
    [eventId],
  );
  return {
    id: Number(organiser_id),
    email: 'seed@example.com',
    displayName: 'Seed Organiser',
    role: 'organiser',
  };
}

/**
 * Every ticket type's `sold` equals the sum of the items of its pending (held) and confirmed
 * bookings: the core invariant (PRODUCT.md "Orders"), summed over dates and on each date.
 */
export async function soldMatchesBookedItems(testApp: TestServices): Promise<boolean> {
  const rows = await testApp.sql<{ id: number; sold: number; booked: number }[]>(
    `SELECT tt.id, tt.sold, COALESCE(SUM(CASE WHEN b.status IN ('pending', 'confirmed') THEN bi.quantity ELSE 0 END), 0) AS booked
       FROM ticket_types tt
       LEFT JOIN booking_items bi ON bi.ticket_type_id = tt.id
       LEFT JOIN bookings b ON b.id = bi.booking_id
      GROUP BY tt.id, tt.sold`,
  );
  // And per date: each date's count of a type is its own bookings' items (PRODUCT.md "Dates").
  const perDate = await testApp.sql<{ sold: number; booked: number }[]>(
    `SELECT di.sold, COALESCE(SUM(CASE WHEN b.status IN ('pending', 'confirmed') THEN bi.quantity ELSE 0 END), 0) AS booked
       FROM date_inventory di
       LEFT JOIN bookings b ON b.date_id = di.date_id
       LEFT JOIN booking_items bi ON bi.booking_id = b.id AND bi.ticket_type_id = di.ticket_type_id
      GROUP BY di.date_id, di.ticket_type_id, di.sold`,
  );
  return [...rows, ...perDate].every((row) => Number(row.sold) === Number(row.booked));
}

/** Bookings stored without any item: a half-written booking, which must never exist. */
export const bookingsWithoutItems = (testApp: TestServices) =>
  testApp.sql(
    'SELECT id FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM booking_items bi WHERE bi.booking_id = b.id)',
  );

// ---- Booking helpers (added for the purchase and concurrency tests) ----

/** A booking made through the buy form, and the browser that made it (its session may see the success page). */
export interface FormBooking {
  id: number;
  reference: string;
  secret: string;
  browser: Browser;
}

/**
 * Buys through the buy form as a browser does, with the form's CSRF token and idempotency key;
 * `quantities` go to the event's ticket types in their order. Throws unless the purchase answers
 * 303 to its success page.
 */
export async function buyWithForm(
  testApp: TestApp,
  eventId: number,
  {
    quantities = [1],
    attendeeName = 'Ada Lovelace',
    attendeeEmail = 'ada@example.com',
    browser = testApp.browser(),
  }: {
    quantities?: number[];
    attendeeName?: string;
    attendeeEmail?: string;
    browser?: Browser;
  } = {},
): Promise<FormBooking> {
  const types = await ticketTypesOf(testApp, eventId);
  const page = await browser.get(`/buy-tickets/${eventId}`);
  const fields: FormFields = {
    _csrf: hiddenField(page.text, '_csrf'),
    idempotencyKey: hiddenField(page.text, 'idempotencyKey'),
    attendeeName,
    attendeeEmail,
  };
  types.forEach((type, index) => (fields[`quantities[${type.id}]`] = quantities[index] ?? 0));
  const res = await browser.post(`/purchase/${eventId}`, fields);
  // Confirmed at once (to the success page), or held (to the pay page).
  const reference =
    /^\/(?:purchase\/success\?ref=|booking\/)([0-9A-Z]{10})(?:$|\/pay\?secret=)/.exec(
      String(res.headers.location),
    )?.[1];
  if (res.status !== 303 || !reference) throw new Error(`purchase failed: ${res.status}`);
  const [{ id, secret }] = await testApp.sql<{ id: number; secret: string }[]>(
    'SELECT id, secret FROM bookings WHERE reference = ?',
    [reference],
  );
  return { id: Number(id), reference, secret, browser };
}

/**
 * Posts the buy form as a browser does, in a fresh session, with these fields as they are (a
 * field may repeat: `ticketNames[12][]`, `seats[]`); the buyer is Pat Parent unless they say.
 */
export async function postBuyForm(testApp: TestApp, eventId: number, fields: [string, string][]) {
  const browser = testApp.browser();
  const page = await browser.get(`/buy-tickets/${eventId}`);
  const buyer: [string, string][] = fields.some(([name]) => name === 'attendeeName')
    ? []
    : [
        ['attendeeName', 'Pat Parent'],
        ['attendeeEmail', 'pat@example.com'],
      ];
  const body = new URLSearchParams([
    ['_csrf', hiddenField(page.text, '_csrf')],
    ['idempotencyKey', hiddenField(page.text, 'idempotencyKey')],
    ...buyer,
    ...fields,
  ]).toString();
  return browser.agent.post(`/purchase/${eventId}`).type('form').send(body);
}

/** The value of a hidden form field in a page, e.g. `hiddenField(page.text, 'idempotencyKey')`. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field "${name}" in the page`);
  return match[1];
}

/** Runs SQL as one queued write transaction, the way the app itself writes (never inside someone else's booking). */
export async function writeSql(
  testApp: TestServices,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  await testApp.app
    .get(TransactionRunner)
    .run((manager) => manager.query(placeholdersFor(testApp.db, sql), params));
}

/** A timestamp as TypeORM stores it in SQLite (UTC, `YYYY-MM-DD HH:mm:ss.SSS`). */
export function sqliteDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A timestamp as a raw SQL parameter of this app's database, stored as the app stores it. */
export const timestampParam = (testApp: TestServices, date: Date): Date | string =>
  testApp.db.options.type === 'postgres' ? date : sqliteDateTime(date);

export interface SeedTicketType extends Partial<
  Pick<
    TicketType,
    'description' | 'saleStartsAt' | 'saleEndsAt' | 'minPerOrder' | 'maxPerOrder' | 'hidden'
  >
> {
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
  holdMinutes?: number;
  waitingListHours?: number;
  namePerTicket?: boolean;
  ticketTypes: SeedTicketType[];
}

/**
 * Inserts an organiser, an event (published and a month ahead unless told otherwise)
 * and its ticket types straight into the database, without HTTP, and announces it as the
 * organiser pages do; returns the ids in order.
 */
export async function insertEvent(
  testApp: TestServices,
  seed: SeedEvent,
): Promise<{ eventId: number; ticketTypeIds: number[] }> {
  return testApp.app.get(TransactionRunner).run(async (manager) => {
    const organiser = await manager.getRepository(User).save({
      email: uniqueEmail('seed'),
      passwordHash: 'not-a-hash',
      displayName: 'Seed Organiser',
      role: 'organiser',
    });
    const organisation = await manager
      .getRepository(Organisation)
      .save({ name: 'Seed Organisation', founderId: organiser.id });
    await manager
      .getRepository(Membership)
      .save({ organisationId: organisation.id, userId: organiser.id, role: 'owner' });
    const status = seed.status ?? 'published';
    const event = await manager.getRepository(Event).save({
      organiserId: organiser.id,
      organisationId: organisation.id,
      title: seed.title ?? 'Seeded event',
      description: '',
      venue: 'Seed Hall',
      startsAt: seed.startsAt ?? new Date(Date.now() + 30 * 86_400_000),
      status,
      publishedAt: status === 'published' ? new Date() : null,
      maxTicketsPerType: seed.maxTicketsPerType ?? 10,
      holdMinutes: seed.holdMinutes ?? 15,
      waitingListHours: seed.waitingListHours ?? 24,
      namePerTicket: seed.namePerTicket ?? false,
    });
    const date = await manager
      .getRepository(EventDate)
      .save({ eventId: event.id, startsAt: event.startsAt, endsAt: null, status: 'scheduled' });
    const ticketTypes = await manager.getRepository(TicketType).save(
      seed.ticketTypes.map((type, index) => ({
        ...type,
        eventId: event.id,
        name: type.name ?? `Type ${index + 1}`,
        priceCents: type.priceCents ?? 1000,
        capacity: type.capacity,
        sold: type.sold ?? 0,
        sortOrder: index,
      })),
    );
    await manager.getRepository(DateInventory).insert(
      ticketTypes.map((type) => ({
        dateId: date.id,
        ticketTypeId: type.id,
        capacity: type.capacity,
        sold: type.sold,
        reserved: type.reserved ?? 0,
        waiting: type.waiting ?? 0,
      })),
    );
    const eventId = event.id;
    // As the organiser's pages would: public pages kept in the page cache go.
    await testApp.app.get(DomainEvents).record(manager, { type: 'event.changed', eventId });
    const ticketTypeIds = ticketTypes.map((type) => type.id);
    return { eventId, ticketTypeIds };
  });
}
