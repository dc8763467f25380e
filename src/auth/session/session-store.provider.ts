import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import { Store } from 'express-session';
import { DataSource } from 'typeorm';
import { AppConfig, DatabaseConfig } from '../../config/app-config';
import { dataSourceOptions } from '../../database/data-source-options';
import { RedisConnection } from '../../redis/redis-connection';
import { Session } from '../entities/session.entity';
import { DatabaseSessionStore } from './database-session.store';

export const SESSION_COOKIE = 'boxoffice.sid';
/** Session reads and writes are single quick statements: a small pool serves them. */
const SESSION_POOL_SIZE = 3;
/** How long a visitor's session (CSRF token, remembered bookings) lasts unused. */
export const ANONYMOUS_SESSION_MS = 2 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Owns the session store: Redis when REDIS_URL is set (every process sees every login;
 * Redis expires old sessions itself), otherwise the `sessions` table, written through a
 * database connection of its own.
 */
@Injectable()
export class SessionStoreProvider implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionStoreProvider.name);
  /** The store's own connection, when sessions are kept in the database. */
  private readonly database?: { dataSource: DataSource; store: DatabaseSessionStore };
  private pruneTimer?: NodeJS.Timeout;
  readonly store: Store;

  constructor(config: AppConfig, redis: RedisConnection) {
    if (redis.client) {
      this.store = new RedisStore({
        client: redis.client,
        prefix: 'boxoffice:session:',
        // Used only for a session without a cookie expiry; each session's own expiry comes first.
        ttl: config.sessionAbsoluteMs / 1000,
      });
      return;
    }
    const dataSource = new DataSource({
      ...dataSourceOptions(sessionDatabase(config.database)),
      entities: [Session],
      migrations: [],
    });
    const store = new DatabaseSessionStore(
      dataSource.getRepository(Session),
      config.sessionAbsoluteMs,
    );
    this.database = { dataSource, store };
    this.store = store;
  }

  async onModuleInit(): Promise<void> {
    if (!this.database) return;
    const { dataSource, store } = this.database;
    await dataSource.initialize();
    this.pruneTimer = setInterval(() => {
      store
        .prune()
        .catch((error: Error) => this.logger.warn(`pruning sessions failed: ${error.message}`));
    }, PRUNE_EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    if (this.database?.dataSource.isInitialized) await this.database.dataSource.destroy();
  }
}

function sessionDatabase(database: DatabaseConfig): DatabaseConfig {
  return database.type === 'postgres' ? { ...database, poolSize: SESSION_POOL_SIZE } : database;
}
