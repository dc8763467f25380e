import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Store } from 'express-session';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { TransactionRunner } from '../../database/transaction-runner';
import { RedisConnection } from '../../redis/redis-connection';
import { Session } from '../entities/session.entity';
import { DatabaseSessionStore } from './database-session.store';

/** How long a visitor's session (CSRF token, remembered bookings) lasts unused. */
export const ANONYMOUS_SESSION_MS = 2 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Owns the session store: Redis when REDIS_URL is set (every process sees every login;
 * Redis expires old sessions itself), otherwise the `sessions` table.
 */
@Injectable()
export class SessionStoreProvider implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionStoreProvider.name);
  private readonly database?: DatabaseSessionStore;
  private pruneTimer?: NodeJS.Timeout;
  readonly store: Store;

  constructor(
    config: AppConfig,
    redis: RedisConnection,
    @InjectRepository(Session) sessions: Repository<Session>,
    transactions: TransactionRunner,
  ) {
    if (redis.client) {
      // Loaded with Redis only (see RedisConnection).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { RedisStore } = require('connect-redis') as typeof import('connect-redis');
      this.store = new RedisStore({
        client: redis.client,
        prefix: 'boxoffice:session:',
        // Used only for a session without a cookie expiry; each session's own expiry comes first.
        ttl: config.sessionAbsoluteMs / 1000,
      });
      return;
    }
    this.database = new DatabaseSessionStore(sessions, transactions, config.sessionAbsoluteMs);
    this.store = this.database;
  }

  onModuleInit(): void {
    const store = this.database;
    if (!store) return;
    this.pruneTimer = setInterval(() => {
      store
        .prune()
        .catch((error: Error) => this.logger.warn(`pruning sessions failed: ${error.message}`));
    }, PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }
}
