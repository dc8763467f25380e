import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { dataSourceOptions } from '../../database/data-source-options';
import { Session } from '../entities/session.entity';
import { DatabaseSessionStore } from './database-session.store';

export const SESSION_COOKIE = 'boxoffice.sid';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Owns the session store and the separate database connection it writes through. */
@Injectable()
export class SessionStoreProvider implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionStoreProvider.name);
  private readonly dataSource: DataSource;
  private pruneTimer?: NodeJS.Timeout;
  readonly store: DatabaseSessionStore;

  constructor(config: AppConfig) {
    this.dataSource = new DataSource({
      ...dataSourceOptions(config.database),
      entities: [Session],
      migrations: [],
    });
    this.store = new DatabaseSessionStore(this.dataSource.getRepository(Session), SESSION_TTL_MS);
  }

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
    this.pruneTimer = setInterval(() => {
      this.store
        .prune()
        .catch((error: Error) => this.logger.warn(`pruning sessions failed: ${error.message}`));
    }, PRUNE_EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
