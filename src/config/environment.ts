import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  validateSync,
  ValidationArguments,
} from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/** A start-up problem the operator must fix; main prints its message as one line and exits 1. */
export class ConfigError extends Error {}

/** A URL as it may be shown in a message: without its password. */
export const withoutPassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

const got = (args: ValidationArguments) =>
  `got "${withoutPassword(String(args.value as unknown))}"`;

/** A whole number from `min` to `max` (plain decimal digits). */
const WholeNumber = (min: number, max: number) => {
  const message = (args: ValidationArguments) =>
    `${args.property} must be a whole number from ${min} to ${max}, ${got(args)}`;
  return applyDecorators(
    // Plain decimal digits only: "1e3", "0x10", "-1" and "2.5" stay text, for IsInt to refuse.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
    ),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
};

/** true/1 or false/0. */
const Flag = () =>
  applyDecorators(
    Transform(
      ({ value }: { value: unknown }) =>
        ({ true: true, '1': true, false: false, '0': false })[String(value)] ?? value,
    ),
    IsBoolean({ message: (args) => `${args.property} must be true or false, ${got(args)}` }),
  );

/**
 * Text that `test` accepts; `what` says what that is, in the message of a refusal (which
 * shows what was given, unless it is a `secret`).
 */
const Accepts = (what: string, test: (value: string) => boolean, { secret = false } = {}) =>
  ValidateBy({
    name: 'accepts',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && test(value),
      defaultMessage: (args) =>
        `${args!.property} must be ${what}${secret ? '' : `, ${got(args!)}`}`,
    },
  });

const urlWith =
  (...protocols: string[]) =>
  (value: string) =>
    URL.canParse(value) && protocols.includes(new URL(value).protocol);

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

/**
 * Every environment variable the app reads, what each accepts, and its default (the README's
 * configuration table lists exactly these; a test holds the two together). Validated once at
 * start-up (AppConfig); a bad value stops the app with one line naming the variable.
 */
export class Environment {
  @WholeNumber(1, 65535)
  PORT: number = 3000;

  @Accepts(
    'sqlite:<path> or a postgres:// URL',
    (value) => /^sqlite:.+/.test(value) || urlWith('postgres:', 'postgresql:')(value),
  )
  DATABASE_URL: string = 'sqlite:data/boxoffice.sqlite';

  // Two at least: start-up holds the migration lock on one connection while migrating on another.
  @WholeNumber(2, 1_000_000)
  DATABASE_POOL_SIZE: number = 10;

  @Accepts('a redis:// or rediss:// URL', urlWith('redis:', 'rediss:'))
  @IsOptional()
  REDIS_URL?: string;

  /** Default: one per CPU. */
  @WholeNumber(1, 256)
  @IsOptional()
  WEB_CONCURRENCY?: number;

  @WholeNumber(1, 1_000_000)
  SESSION_IDLE_MINUTES: number = 30;

  @WholeNumber(1, 1_000_000)
  SESSION_MAX_HOURS: number = 12;

  @WholeNumber(1, 1_000_000)
  LOGIN_FAILURES_PER_ACCOUNT: number = 5;

  @WholeNumber(1, 1_000_000)
  AUTH_ATTEMPTS_PER_IP: number = 100;

  @WholeNumber(1, 1_000_000)
  AUTH_WINDOW_MINUTES: number = 15;

  @WholeNumber(1, 1_000_000)
  API_REQUESTS_PER_MINUTE: number = 600;

  /** Events an organiser (not an admin) may create in an hour; 0: no limit. */
  @WholeNumber(0, 1_000_000)
  EVENTS_PER_ORGANISER_PER_HOUR: number = 60;

  /** Purchases and attendee cancellations together, per client address; 0: no limit. */
  @WholeNumber(0, 1_000_000)
  PURCHASES_PER_IP_PER_MINUTE: number = 20;

  /** Default: generated once and kept beside the database (outside production). */
  @Accepts('some text', (value) => value.length > 0, { secret: true })
  @IsOptional()
  SESSION_SECRET?: string;

  @Accepts('an email address of at most 254 characters', (value) => value.length <= 254)
  @IsOptional()
  ADMIN_EMAIL?: string;

  @Accepts('10 to 256 characters', (value) => value.length >= 10 && value.length <= 256, {
    secret: true,
  })
  @IsOptional()
  ADMIN_PASSWORD?: string;

  @Flag()
  TRUST_PROXY: boolean = false;

  @Flag()
  COOKIE_SECURE: boolean = false;

  @Accepts('a word such as production', (value) => /^\w+$/.test(value))
  @IsOptional()
  NODE_ENV?: string;

  /** Default: http://localhost:<PORT>. */
  @Accepts(
    'an http:// or https:// URL without query, e.g. https://tickets.example.org',
    (value) => urlWith('http:', 'https:')(value) && !/[?#]/.test(value),
  )
  @IsOptional()
  PUBLIC_URL?: string;

  @Accepts(
    'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587',
    (value) => urlWith('smtp:', 'smtps:')(value) && new URL(value).hostname !== '',
  )
  @IsOptional()
  SMTP_URL?: string;

  /** Default: outbox/ beside the SQLite file, else data/outbox. */
  @Accepts('a directory', (value) => !value.includes('\0'))
  @IsOptional()
  OUTBOX_DIR?: string;

  /** Default: the site's name, no-reply@<PUBLIC_URL host>. */
  @Accepts('an address or "Name <address>", e.g. "Boxoffice <tickets@example.org>"', (value) =>
    MAIL_FROM.test(value.trim()),
  )
  @IsOptional()
  MAIL_FROM?: string;

  @WholeNumber(100, 3_600_000)
  MAIL_RETRY_BASE_MS: number = 30_000;

  /** Webhooks may go to plain http:// and to private or loopback addresses (tests, a closed network). */
  @Flag()
  WEBHOOKS_ALLOW_PRIVATE: boolean = false;

  /** The first retry of a failed webhook delivery comes after this long; each next one after twice as long. */
  @WholeNumber(100, 3_600_000)
  WEBHOOK_RETRY_BASE_MS: number = 10_000;

  /** A webhook receiver that has not answered within this long has failed that attempt. */
  @WholeNumber(100, 60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** The fair queue's proof of work: the largest number a joining browser may have to find. 0: no proof (tests). */
  @WholeNumber(0, 10_000_000)
  QUEUE_POW_MAX_NUMBER: number = 100_000;

  /** Queue joins from one client address in an hour; past it, 429. 0: no limit. */
  @WholeNumber(0, 1_000_000)
  QUEUE_JOINS_PER_IP_PER_HOUR: number = 10;

  /** Mails to one address in an hour; past it they are suppressed (kept, never sent). 0: no cap. */
  @WholeNumber(0, 1_000_000)
  MAILS_PER_RECIPIENT_PER_HOUR: number = 20;

  /** Mails of one event sent in a minute; past it they wait (never dropped). 0: no cap. */
  @WholeNumber(0, 1_000_000)
  MAILS_PER_EVENT_PER_MINUTE: number = 300;

  /** With STRIPE_WEBHOOK_SECRET: buyers may pay by card through Stripe Checkout. */
  @Accepts(
    'a Stripe secret key (sk_test_… or sk_live_…, or a restricted rk_…)',
    (value) => /^(sk|rk)_(test|live)_\w+$/.test(value),
    { secret: true },
  )
  @IsOptional()
  STRIPE_SECRET_KEY?: string;

  /** The signing secret of the webhook endpoint /payments/stripe/webhook (whsec_…). */
  @Accepts('a webhook signing secret (whsec_…)', (value) => /^whsec_\w+$/.test(value), {
    secret: true,
  })
  @IsOptional()
  STRIPE_WEBHOOK_SECRET?: string;

  /** Default: Stripe's own API. Another base URL for the SDK (a local stand-in in tests). */
  @Accepts('an http:// or https:// URL, e.g. https://api.stripe.com', (value) =>
    urlWith('http:', 'https:')(value),
  )
  @IsOptional()
  STRIPE_API_URL?: string;

  /** Read by Node.js itself: event times are typed and shown in this time zone. Default: the machine's. */
  @Accepts('an IANA time zone such as Europe/Berlin', isTimeZone)
  @IsOptional()
  TZ?: string;
}

const ADDRESS = String.raw`[^\s<>@"]+@[^\s<>@"]+`;
/** `Name <address>` (name, address) or a bare address (third group). */
export const MAIL_FROM = new RegExp(String.raw`^(?:([^<>\r\n"]*?)\s*<(${ADDRESS})>|(${ADDRESS}))$`);

/** The names of every variable the Environment class knows. */
export const ENVIRONMENT_VARIABLES: readonly string[] = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Environment, '', true, false)
      .map((metadata) => metadata.propertyName),
  ),
];

/** The variables of `env` the app reads, validated, with the defaults of those not set (or empty). */
export function validateEnvironment(env: NodeJS.ProcessEnv): Environment {
  const given = Object.fromEntries(
    ENVIRONMENT_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '').map(
      (name) => [name, env[name]],
    ),
  );
  const environment = plainToInstance(Environment, given, { exposeDefaultValues: true });
  const [error] = validateSync(environment);
  if (error) throw new ConfigError(Object.values(error.constraints ?? {})[0] ?? String(error));
  return environment;
}
