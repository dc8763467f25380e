import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';

/**
 * The Redis client library, loaded only when REDIS_URL is set: it is several hundred files,
 * and an app without Redis should not wait for them at start-up.
 */
let redis: typeof import('redis') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadRedis = () => (redis ??= require('redis') as typeof import('redis'));

const LOG_OUTAGE_EVERY_MS = 10_000;
const COMMAND_TIMEOUT_MS = 2000;
/** Replies of a Redis that is up but cannot serve yet (restarting, failing over). */
const NOT_SERVING = /^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

/**
 * The app's one Redis client when REDIS_URL is set (sessions, later rate limits).
 * Start-up fails if Redis cannot be reached; afterwards the client reconnects on
 * its own, and while it is away commands fail at once (no offline queue), so a
 * request gets a 503 rather than hanging.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client?: RedisClientType;
  private connectedOnce = false;
  private lastOutageLog = 0;

  constructor(config: AppConfig) {
    if (!config.redisUrl) return;
    this.client = loadRedis().createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      // A Redis that stops answering without dropping the connection fails requests too.
      commandOptions: { timeout: COMMAND_TIMEOUT_MS },
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries, cause) =>
          this.connectedOnce ? Math.min(50 * 2 ** retries, 2000) : cause,
      },
    });
    // Without a listener an 'error' event would end the process.
    this.client.on('error', (error: Error) => this.logOutage(error));
    this.client.on('ready', () => {
      if (this.connectedOnce) this.logger.log('Redis is back');
      this.connectedOnce = true;
    });
  }

  async onModuleInit(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.connect();
    } catch (error) {
      throw new Error(`cannot reach Redis at REDIS_URL: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client?.isOpen) await this.client.close();
  }

  /** Whether Redis answers now (a PING with a short timeout). */
  async isUp(): Promise<boolean> {
    if (!this.client?.isReady) return false;
    try {
      await this.client.ping();
      return true;
    } catch {
      return false;
    }
  }

  private logOutage(error: Error): void {
    if (Date.now() - this.lastOutageLog < LOG_OUTAGE_EVERY_MS) return;
    this.lastOutageLog = Date.now();
    this.logger.warn(`Redis unavailable: ${error.message}`);
  }
}

/** Redis could not be reached or went away: worth retrying in a moment. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!redis) return false;
  const {
    ClientClosedError,
    ClientOfflineError,
    ConnectionTimeoutError,
    DisconnectsClientError,
    ErrorReply,
    ReconnectStrategyError,
    SocketClosedUnexpectedlyError,
    TimeoutError,
  } = redis;
  return (
    error instanceof ClientOfflineError ||
    error instanceof ClientClosedError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof DisconnectsClientError ||
    error instanceof ReconnectStrategyError ||
    error instanceof TimeoutError ||
    (error instanceof ErrorReply && NOT_SERVING.test(error.message))
  );
}
