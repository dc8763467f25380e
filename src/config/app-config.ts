import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A start-up problem the operator must fix; main prints its message as one line and exits 1. */
export class ConfigError extends Error {}

export interface RateLimitConfig {
  /** Failed logins per account per window before even the right password is refused. */
  loginFailuresPerAccount: number;
  /** Login and register attempts per IP address per window. */
  authAttemptsPerIp: number;
  /** The window of the two limits above. */
  authWindowMs: number;
  /** API requests per token per minute. */
  apiRequestsPerMinute: number;
  /** Purchases per IP address per minute; 0 means no limit (the default). */
  purchasesPerIpPerMinute: number;
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

  private static loaded?: AppConfig;

  /** The process's configuration, read from `process.env` on first use. */
  static load(): AppConfig {
    return (AppConfig.loaded ??= new AppConfig());
  }

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.production = env.NODE_ENV === 'production';
    this.port = parseCount(env, 'PORT', 3000, 1, 65535);
    this.database = databaseConfigFromEnv(env);
    this.redisUrl = parseRedisUrl(env.REDIS_URL);
    this.dataDir =
      this.database.type === 'sqlite' && this.database.path !== ':memory:'
        ? dirname(this.database.path)
        : resolve('data');
    this.sessionSecret = env.SESSION_SECRET || this.developmentSessionSecret();
    if (env.ADMIN_EMAIL || env.ADMIN_PASSWORD) {
      if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) {
        throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
      }
      if (env.ADMIN_EMAIL.length > 254) {
        throw new ConfigError('ADMIN_EMAIL must be at most 254 characters');
      }
      if (env.ADMIN_PASSWORD.length < 10 || env.ADMIN_PASSWORD.length > 256) {
        throw new ConfigError('ADMIN_PASSWORD must be 10 to 256 characters');
      }
      this.admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
    }
    this.trustProxy = parseFlag('TRUST_PROXY', env.TRUST_PROXY);
    this.cookieSecure = parseFlag('COOKIE_SECURE', env.COOKIE_SECURE) || this.trustProxy;
    this.webConcurrency = parseCount(env, 'WEB_CONCURRENCY', availableParallelism(), 1, 256);
    this.publicUrl = parsePublicUrl(env.PUBLIC_URL, this.port);
    this.mail = {
      smtpUrl: parseSmtpUrl(env.SMTP_URL),
      outboxDir: parseOutboxDir(env.OUTBOX_DIR, join(this.dataDir, 'outbox')),
      from: parseMailFrom(env.MAIL_FROM, new URL(this.publicUrl).hostname),
      retryBaseMs: parseCount(env, 'MAIL_RETRY_BASE_MS', 30_000, 100, 3_600_000),
    };
    this.sessionIdleMs = parseCount(env, 'SESSION_IDLE_MINUTES', 30, 1) * 60_000;
    this.sessionAbsoluteMs = parseCount(env, 'SESSION_MAX_HOURS', 12, 1) * 3_600_000;
    this.rateLimits = {
      loginFailuresPerAccount: parseCount(env, 'LOGIN_FAILURES_PER_ACCOUNT', 5, 1),
      authAttemptsPerIp: parseCount(env, 'AUTH_ATTEMPTS_PER_IP', 100, 1),
      authWindowMs: parseCount(env, 'AUTH_WINDOW_MINUTES', 15, 1) * 60_000,
      apiRequestsPerMinute: parseCount(env, 'API_REQUESTS_PER_MINUTE', 600, 1),
      purchasesPerIpPerMinute: parseCount(env, 'PURCHASES_PER_IP_PER_MINUTE', 0, 0),
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

/** A whole-number setting from `min` to `max`; unset or empty means `fallback`. */
function parseCount(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max = 1_000_000,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < min || count > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return count;
}

function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function parsePublicUrl(value: string | undefined, port: number): string {
  if (!value) return `http://localhost:${port}`;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new ConfigError(
      'PUBLIC_URL must be an http:// or https:// URL without query, e.g. https://tickets.example.org',
    );
  }
  return value.replace(/\/+$/, '');
}

function parseRedisUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['redis:', 'rediss:'].includes(url.protocol)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return value;
}

function parseSmtpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    throw new ConfigError(
      `SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587, got "${withoutPassword(value)}"`,
    );
  }
  return value;
}

function parseOutboxDir(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  const dir = resolve(value);
  if (value.includes('\0') || (existsSync(dir) && !statSync(dir).isDirectory())) {
    throw new ConfigError(`OUTBOX_DIR must be a directory, got "${value}"`);
  }
  return dir;
}

const ADDRESS = String.raw`[^\s<>@"]+@[^\s<>@"]+`;
const MAIL_FROM = new RegExp(String.raw`^(?:([^<>\r\n"]*?)\s*<(${ADDRESS})>|(${ADDRESS}))$`);

/** `Name <address>` or a bare address; by default no-reply at PUBLIC_URL's host. */
function parseMailFrom(value: string | undefined, host: string): MailConfig['from'] {
  if (!value) return { address: `no-reply@${host}` };
  const match = MAIL_FROM.exec(value.trim());
  if (!match) {
    throw new ConfigError(
      `MAIL_FROM must be an address or "Name <address>", e.g. "Boxoffice <tickets@example.org>", got "${value}"`,
    );
  }
  const [, name, namedAddress, bareAddress] = match;
  return name ? { name, address: namedAddress } : { address: namedAddress ?? bareAddress };
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:data/boxoffice.sqlite', env);
}

export function parseDatabaseUrl(url: string, env: NodeJS.ProcessEnv = {}): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path)
      throw new ConfigError(
        'DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:data/boxoffice.sqlite',
      );
    return { type: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(
        `DATABASE_URL is not a valid PostgreSQL URL: "${withoutPassword(url)}"`,
      );
    }
    // Two at least: start-up holds the migration lock on one connection while migrating on another.
    const poolSize = parseCount(env, 'DATABASE_POOL_SIZE', 10, 2);
    return { type: 'postgres', url, poolSize };
  }
  throw new ConfigError(
    `DATABASE_URL must start with sqlite: or postgres://, got "${withoutPassword(url)}"`,
  );
}

const withoutPassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');
