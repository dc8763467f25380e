import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isTransientConflict } from './database-errors';
import { SerialQueue } from './serial-queue';

const MAX_ATTEMPTS = 3;

/**
 * The one way to write to the database.
 *
 * TypeORM's SQLite driver shares a single connection and a single QueryRunner
 * between all callers, so two open transactions would interleave on it (nested
 * savepoints, "cannot start a transaction within a transaction", lost writes).
 * On SQLite every write transaction therefore waits its turn in one in-process
 * queue. PostgreSQL gives each transaction its own pooled connection.
 *
 * A transient conflict (SQLite busy, PostgreSQL deadlock or serialization
 * failure) rolls back and retries the whole unit of work a bounded number of times.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly queue = new SerialQueue();
  private readonly commitListeners: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Called after every committed transaction (e.g. to drop pages that may now be stale). */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /**
   * Runs `work` in one transaction. `announce: false` keeps the onCommit listeners out of it:
   * for bookkeeping that changes nothing a page shows (the mail outbox's own rows).
   */
  run<T>(
    work: (manager: EntityManager) => Promise<T>,
    { announce = true }: { announce?: boolean } = {},
  ): Promise<T> {
    if (this.dataSource.options.type === 'sqlite') {
      return this.queue.run(() => this.withRetries(work, announce));
    }
    return this.withRetries(work, announce);
  }

  private async withRetries<T>(
    work: (manager: EntityManager) => Promise<T>,
    announce: boolean,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work, announce);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
        this.logger.warn(`transaction conflict, retrying (attempt ${attempt}): ${String(error)}`);
      }
    }
  }

  /**
   * On SQLite, BEGIN IMMEDIATE: the write lock is taken up front, waiting (busy timeout) for any
   * other connection on the file, such as the session store's, to finish its write. TypeORM's
   * startTransaction() only issues a deferred BEGIN, whose first read pins a snapshot; the later
   * UPDATE must then upgrade to a write lock, and SQLite refuses that upgrade at once with
   * SQLITE_BUSY (no waiting) whenever another connection is writing or has written meanwhile.
   */
  private async begin(queryRunner: QueryRunner): Promise<void> {
    if (this.dataSource.options.type !== 'sqlite') return queryRunner.startTransaction();
    if (queryRunner.isTransactionActive)
      throw new Error('A transaction is already open on the SQLite connection.');
    await queryRunner.query('BEGIN IMMEDIATE TRANSACTION');
    // Tell TypeORM the transaction is open (what startTransaction() would have recorded), so that
    // save() joins it instead of beginning its own, and commitTransaction()/rollbackTransaction() end it.
    Object.assign(queryRunner, { isTransactionActive: true, transactionDepth: 1 });
  }

  private async once<T>(
    work: (manager: EntityManager) => Promise<T>,
    announce: boolean,
  ): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await this.begin(queryRunner);
      const result = await work(queryRunner.manager);
      await queryRunner.commitTransaction();
      if (announce) for (const listener of this.commitListeners) listener();
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
      await queryRunner.release();
    }
  }
}
