import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isTransientConflict } from './database-errors';
import { SerialQueue } from './serial-queue';

/** Injection token of the data source that writes (see openDatabase). */
export const WRITER = Symbol('WRITER');

const MAX_ATTEMPTS = 3;
/** A retry waits this long at least (and up to twice as long), outside the write queue. */
const RETRY_DELAY_MS = 25;

interface TransactionData {
  afterCommit: (() => void)[];
}

/**
 * Runs `callback` once the transaction `manager` belongs to has committed; never if it rolls
 * back. For what must follow a change in this process only (waking a worker, dropping a
 * cached page); anything that must survive a crash is written in the transaction instead.
 */
export function afterCommit(manager: EntityManager, callback: () => void): void {
  const data = manager.queryRunner?.data as TransactionData | undefined;
  if (!data?.afterCommit) throw new Error('afterCommit() needs a TransactionRunner transaction.');
  data.afterCommit.push(callback);
}

/**
 * The one way to write to the database.
 *
 * TypeORM's SQLite driver shares a single connection and a single QueryRunner
 * between all callers, so two open transactions would interleave on it (nested
 * savepoints, "cannot start a transaction within a transaction", lost writes).
 * On SQLite every write transaction therefore waits its turn in one in-process
 * queue, on the writer connection that nothing else uses. PostgreSQL gives each
 * transaction its own pooled connection.
 *
 * A transient conflict (SQLite busy, PostgreSQL deadlock or serialization
 * failure) rolls back and retries the whole unit of work a bounded number of
 * times, each retry queued anew, so the queue goes on while it waits.
 */
@Injectable()
export class TransactionRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly queue = new SerialQueue();
  private readonly sqlite: boolean;
  private inFlight = 0;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(@Inject(WRITER) private readonly writer: DataSource) {
    this.sqlite = writer.options.type === 'sqlite';
  }

  /**
   * Runs `work` in one transaction, committed if it resolves, rolled back if it throws. Once the
   * app is closing, refused (503) before anything is written.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.closing) throw new ServiceUnavailableException('Boxoffice is shutting down.');
    this.inFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await (this.sqlite ? this.queue.run(() => this.once(work)) : this.once(work));
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
          this.logger.warn(`transaction conflict, retrying (attempt ${attempt}): ${String(error)}`);
          await sleep(RETRY_DELAY_MS * (1 + Math.random()) * attempt);
        }
      }
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /**
   * Whether the writer answers. On SQLite a read on its connection, outside the write queue: it
   * waits for the statement under way, never for the transactions queued behind it.
   */
  async pingWriter(): Promise<void> {
    await this.writer.query('SELECT 1');
  }

  /**
   * The database closes after the HTTP server has answered its last request and its handlers
   * have finished (see HandlersInFlight). Transactions still under way (a background pass's)
   * commit first; none starts from here on.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    // The reader is the data source Nest's TypeORM module closes; on PostgreSQL that is this one.
    if (this.sqlite && this.writer.isInitialized) await this.writer.destroy();
  }

  /**
   * On SQLite, BEGIN IMMEDIATE: the write lock is taken up front, waiting (busy timeout) for
   * another process on the same file to finish its write. TypeORM's startTransaction() only
   * issues a deferred BEGIN, whose first read pins a snapshot; the later UPDATE must then
   * upgrade to a write lock, and SQLite refuses that upgrade at once with SQLITE_BUSY (no
   * waiting) whenever another connection has written meanwhile.
   */
  private async begin(queryRunner: QueryRunner): Promise<void> {
    queryRunner.data = { afterCommit: [] } satisfies TransactionData;
    if (!this.sqlite) return queryRunner.startTransaction();
    if (queryRunner.isTransactionActive)
      throw new Error('A transaction is already open on the SQLite connection.');
    await queryRunner.query('BEGIN IMMEDIATE TRANSACTION');
    // Tell TypeORM the transaction is open (what startTransaction() would have recorded), so that
    // save() joins it instead of beginning its own, and commitTransaction()/rollbackTransaction() end it.
    Object.assign(queryRunner, { isTransactionActive: true, transactionDepth: 1 });
  }

  private async once<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const queryRunner = this.writer.createQueryRunner();
    await queryRunner.connect();
    try {
      await this.begin(queryRunner);
      const result = await work(queryRunner.manager);
      await queryRunner.commitTransaction();
      this.announce((queryRunner.data as TransactionData).afterCommit);
      return result;
    } catch (error) {
      // A lost connection has already released the runner (and the server rolled back).
      if (queryRunner.isTransactionActive && !queryRunner.isReleased) {
        await queryRunner.rollbackTransaction().catch((rollbackError: unknown) => {
          this.logger.error(`rollback failed: ${String(rollbackError)}`);
        });
      }
      throw error;
    } finally {
      queryRunner.data = {};
      await queryRunner.release();
    }
  }

  private announce(callbacks: (() => void)[]): void {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        this.logger.error(`after-commit callback failed: ${String(error)}`);
      }
    }
  }
}
