import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A start-up problem the operator must fix; main prints its message as one line and exits 1. */
export class ConfigError extends Error {}

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
  /** Where the app keeps files of its own (generated secret, mail outbox): beside the SQLite file. */
  readonly dataDir: string;
  readonly sessionSecret: string;
  readonly admin?: { email: string; password: string };
  readonly trustProxy: boolean;
  readonly cookieSecure: boolean;

  private static loaded?: AppConfig;

  /** The process's configuration, read from `process.env` on first use. */
  static load(): AppConfig {
    return (AppConfig.loaded ??= new AppConfig());
  }

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.production = env.NODE_ENV === 'production';
    this.port = parsePort(env.PORT ?? '3000');
    this.database = databaseConfigFromEnv(env);
    this.dataDir =
      this.database.type === 'sqlite' && this.database.path !== ':memory:'
        ? dirname(this.database.path)
        : resolve('data');
    this.sessionSecret = env.SESSION_SECRET || this.developmentSessionSecret();
    if (env.ADMIN_EMAIL || env.ADMIN_PASSWORD) {
      if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) {
        throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
      }
      if (env.ADMIN_PASSWORD.length < 10 || env.ADMIN_PASSWORD.length > 256) {
        throw new ConfigError('ADMIN_PASSWORD must be 10 to 256 characters');
      }
      this.admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
    }
    this.trustProxy = parseFlag('TRUST_PROXY', env.TRUST_PROXY);
    this.cookieSecure = parseFlag('COOKIE_SECURE', env.COOKIE_SECURE) || this.trustProxy;
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

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a number from 1 to 65535, got "${value}"`);
  }
  return port;
}

function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
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
      throw new ConfigError(`DATABASE_URL is not a valid PostgreSQL URL: "${url}"`);
    }
    const poolSize = Number(env.DATABASE_POOL_SIZE ?? '10');
    if (!Number.isInteger(poolSize) || poolSize < 1) {
      throw new ConfigError('DATABASE_POOL_SIZE must be a positive whole number');
    }
    return { type: 'postgres', url, poolSize };
  }
  throw new ConfigError(
    `DATABASE_URL must start with sqlite: or postgres://, got "${url.replace(/:[^:@/]*@/, ':***@')}"`,
  );
}
