import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { RedisConnection } from '../redis/redis-connection';

export type Status = 'up' | 'down';

export interface Health {
  status: 'ok' | 'unavailable';
  db: Status;
  redis?: Status;
}

const CHECK_TIMEOUT_MS = 2000;

/** Whether the services a request needs answer right now. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<Health> {
    const [db, redis] = await Promise.all([
      this.databaseStatus(),
      this.redis.client ? this.redis.isUp().then(toStatus) : undefined,
    ]);
    const up = db === 'up' && redis !== 'down';
    return { status: up ? 'ok' : 'unavailable', db, ...(redis && { redis }) };
  }

  /**
   * On PostgreSQL a connection of its own, so that a pool busy with an on-sale does not
   * read as "down" (and a load balancer does not drop a busy, healthy process). On SQLite
   * both connections, the reader's and the writer's.
   */
  private async databaseStatus(): Promise<Status> {
    const database = this.config.database;
    const ping =
      database.type === 'postgres'
        ? pingPostgres(database.url)
        : Promise.all([this.dataSource.query('SELECT 1'), this.transactions.pingWriter()]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([ping, timeout]);
      return 'up';
    } catch {
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}

async function pingPostgres(url: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg'); // loaded already on PostgreSQL (TypeORM's driver)
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  client.on('error', () => undefined); // a connection lost after the check is no news
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

const toStatus = (up: boolean): Status => (up ? 'up' : 'down');
