import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, Environment, MAIL_FROM, validateEnvironment } from './environment';

export { ConfigError } from './environment';

export interface RateLimitConfig {
  /** Failed logins per account per window before even the right password is refused. */
  loginFailuresPerAccount: number;
  /** Login and register attempts per IP address per window. */
  authAttemptsPerIp: number;
  /** The window of the two limits above. */
  authWindowMs: number;
  /** API requests per token per minute. */
  apiRequestsPerMinute: number;
  /** Purchases and attendee cancellations (together) per client address per minute; 0: no limit. */
  purchasesPerIpPerMinute: number;
  /** Events an organiser (admins are not counted) may create per hour; 0: no limit. */
  eventsPerOrganiserPerHour: number;
}

/** The caps on mail (0: no cap). */
export interface MailLimits {
  /** Mails one address receives in an hour; past it the mail is suppressed, never sent. */
  perRecipientPerHour: number;
  /** Mails of one event sent in a minute; past it the mail waits for the next minute. */
  perEventPerMinute: number;
}

export interface WebhookConfig {
  /** Plain http:// and private or loopback addresses allowed (WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  retryBaseMs: number;
  timeoutMs: number;
}

export interface MailConfig {
  /** `smtp://` or `smtps://` URL of the server that sends mail; without it mails become `.eml` files. */
  smtpUrl?: string;
  /** Where `.eml` files are written when there is no SMTP server. */
  outboxDir: string;
  /** The sender; without a name of its own, mails carry the site's name. */
  from: { name?: string; address: string };
  /** The first retry of a failed mail waits this long; each further one twice as long (capped). */
  retryBaseMs: number;
  /** The caps on mail: per recipient per hour, per event per minute (0: no cap). */
  limits: MailLimits;
}

/** Card payments through Stripe Checkout: both keys set, or none. */
export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends its requests; undefined: Stripe's own API. */
  apiUrl?: URL;
}

export type DatabaseConfig =
  { type: 'sqlite'; path: string } | { type: 'postgres'; url: string; poolSize: number };

/**
 * Everything the app reads from the environment, validated once at start-up.
 * This is the only file that touches `process.env`.
 */
export class AppConfig {
  readonly production: boolean;
  readonly port: number;
  readonly database: DatabaseConfig;
  /** Where sessions (and rate-limit counters) live when several processes share the load. */
  readonly redisUrl?: string;
  /** Where the app keeps files of its own (generated secret, mail outbox): beside the SQLite file. */
  readonly dataDir: string;
  readonly sessionSecret: string;
  readonly admin?: { email: string; password: string };
  readonly trustProxy: boolean;
  readonly cookieSecure: boolean;
  readonly rateLimits: RateLimitConfig;
  /** Logged-in sessions end after this long unused, or this long after login. */
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  /** How many app processes `npm run start:cluster` runs. */
  readonly webConcurrency: number;
  /** Where attendees reach the site, for links that leave it (mails, QR codes); no trailing slash. */
  readonly publicUrl: string;
  readonly mail: MailConfig;
  readonly webhooks: WebhookConfig;
  /** The fair on-sale queue: proof-of-work size (0: none) and joins per address an hour (0: no limit). */
  readonly queue: { powMaxNumber: number; joinsPerIpPerHour: number };
  /** Undefined when the site takes no card payments. */
  readonly stripe?: StripeConfig;

  /** Reads and validates `env` (by default the process's): ConfigError names a bad variable. */
  constructor(env: NodeJS.ProcessEnv = process.env) {
    const settings = validateEnvironment(env);
    this.production = settings.NODE_ENV === 'production';
    this.port = settings.PORT;
    this.database = databaseConfig(settings);
    this.redisUrl = settings.REDIS_URL;
    this.dataDir =
      this.database.type === 'sqlite' && this.database.path !== ':memory:'
        ? dirname(this.database.path)
        : resolve('data');
    this.sessionSecret = settings.SESSION_SECRET ?? this.developmentSessionSecret();
    if (settings.ADMIN_EMAIL || settings.ADMIN_PASSWORD) {
      if (!settings.ADMIN_EMAIL || !settings.ADMIN_PASSWORD) {
        throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
      }
      this.admin = { email: settings.ADMIN_EMAIL, password: settings.ADMIN_PASSWORD };
    }
    this.trustProxy = settings.TRUST_PROXY;
    this.cookieSecure = settings.COOKIE_SECURE || this.trustProxy;
    this.webConcurrency = settings.WEB_CONCURRENCY ?? availableParallelism();
    this.publicUrl = (settings.PUBLIC_URL ?? `http://localhost:${this.port}`).replace(/\/+$/, '');
    this.mail = {
      smtpUrl: settings.SMTP_URL,
      outboxDir: outboxDir(settings.OUTBOX_DIR, join(this.dataDir, 'outbox')),
      from: mailFrom(settings.MAIL_FROM, new URL(this.publicUrl).hostname),
      retryBaseMs: settings.MAIL_RETRY_BASE_MS,
      limits: {
        perRecipientPerHour: settings.MAILS_PER_RECIPIENT_PER_HOUR,
        perEventPerMinute: settings.MAILS_PER_EVENT_PER_MINUTE,
      },
    };
    this.queue = {
      powMaxNumber: settings.QUEUE_POW_MAX_NUMBER,
      joinsPerIpPerHour: settings.QUEUE_JOINS_PER_IP_PER_HOUR,
    };
    this.webhooks = {
      allowPrivate: settings.WEBHOOKS_ALLOW_PRIVATE,
      retryBaseMs: settings.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
    };
    if (settings.STRIPE_SECRET_KEY || settings.STRIPE_WEBHOOK_SECRET) {
      if (!settings.STRIPE_SECRET_KEY || !settings.STRIPE_WEBHOOK_SECRET) {
        throw new ConfigError('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together');
      }
      this.stripe = {
        secretKey: settings.STRIPE_SECRET_KEY,
        webhookSecret: settings.STRIPE_WEBHOOK_SECRET,
        apiUrl: settings.STRIPE_API_URL ? new URL(settings.STRIPE_API_URL) : undefined,
      };
    }
    this.sessionIdleMs = settings.SESSION_IDLE_MINUTES * 60_000;
    this.sessionAbsoluteMs = settings.SESSION_MAX_HOURS * 3_600_000;
    this.rateLimits = {
      loginFailuresPerAccount: settings.LOGIN_FAILURES_PER_ACCOUNT,
      authAttemptsPerIp: settings.AUTH_ATTEMPTS_PER_IP,
      authWindowMs: settings.AUTH_WINDOW_MINUTES * 60_000,
      apiRequestsPerMinute: settings.API_REQUESTS_PER_MINUTE,
      purchasesPerIpPerMinute: settings.PURCHASES_PER_IP_PER_MINUTE,
      eventsPerOrganiserPerHour: settings.EVENTS_PER_ORGANISER_PER_HOUR,
    };
  }

  /** Outside production a missing secret is generated once and kept, so logins survive restarts. */
  private developmentSessionSecret(): string {
    if (this.production) {
      throw new ConfigError('SESSION_SECRET is required when NODE_ENV=production');
    }
    const file = join(this.dataDir, 'session-secret');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const secret = randomBytes(32).toString('hex');
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

function outboxDir(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  const dir = resolve(value);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new ConfigError(`OUTBOX_DIR must be a directory, got "${value}"`);
  }
  return dir;
}

/** `Name <address>` or a bare address; by default no-reply at PUBLIC_URL's host. */
function mailFrom(value: string | undefined, host: string): MailConfig['from'] {
  if (!value) return { address: `no-reply@${host}` };
  const [, name, namedAddress, bareAddress] = MAIL_FROM.exec(value.trim())!;
  return name ? { name, address: namedAddress } : { address: namedAddress ?? bareAddress };
}

function databaseConfig(settings: Environment): DatabaseConfig {
  const url = settings.DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return { type: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  return { type: 'postgres', url, poolSize: settings.DATABASE_POOL_SIZE };
}

/** The database of `env` alone (for the TypeORM CLI's data source). */
export const databaseConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): DatabaseConfig =>
  databaseConfig(validateEnvironment(env));
