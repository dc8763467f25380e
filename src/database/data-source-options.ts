import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { Session } from '../auth/entities/session.entity';
import { User } from '../auth/entities/user.entity';
import { BookingItem } from '../bookings/entities/booking-item.entity';
import { Booking } from '../bookings/entities/booking.entity';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import { SiteSettings } from '../settings/entities/site-settings.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { ApiTokens1764100000000 } from './migrations/1764100000000-api-tokens';
import { IdempotencyFingerprint1764200000000 } from './migrations/1764200000000-idempotency-fingerprint';
import { AuditLog1764300000000 } from './migrations/1764300000000-audit-log';
import { Outbox1764400000000 } from './migrations/1764400000000-outbox';
import { CheckIn1764500000000 } from './migrations/1764500000000-check-in';
import { OutboxMessage } from '../mail/entities/outbox-message.entity';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { ApiToken } from '../auth/entities/api-token.entity';
import { oneStatementAtATimeSqlite3 } from './one-statement-at-a-time';

export const entities = [
  User,
  Session,
  ApiToken,
  Event,
  TicketType,
  Booking,
  BookingItem,
  SiteSettings,
  AuditEntry,
  OutboxMessage,
];
export const migrations = [
  InitialSchema1764000000000,
  ApiTokens1764100000000,
  IdempotencyFingerprint1764200000000,
  AuditLog1764300000000,
  Outbox1764400000000,
  CheckIn1764500000000,
];

/** The one description of the database, shared by the app, the session store and the TypeORM CLI. */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false } as const;
  if (database.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: database.url,
      poolSize: database.poolSize,
      // A database that does not answer (or a pool with no connection free for this long)
      // fails the request with a 503 instead of holding it.
      connectTimeoutMS: 5000,
      extra: { statement_timeout: 10_000, query_timeout: 15_000 },
    };
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    enableWAL: true,
    busyTimeout: 5000,
    // The app and its session store hold two connections to this file: see one-statement-at-a-time.ts.
    driver: oneStatementAtATimeSqlite3,
  };
}
