import sqlite3 from 'sqlite3';
import { SerialQueue } from './serial-queue';

type Callback = (this: unknown, ...results: unknown[]) => void;
type Method = (this: sqlite3.Database, sql: string, ...args: unknown[]) => sqlite3.Database;

/**
 * A node-sqlite3 connection that runs its statements strictly one at a time.
 *
 * node-sqlite3 runs the statements of one connection side by side on the libuv
 * thread pool (`serialize()` only orders their preparation). With the app and
 * its session store on two connections to one file, that went wrong twice:
 * - an autocommit statement refused with SQLITE_BUSY rolls back the implicit
 *   transaction it shares with statements running beside it on the same
 *   connection, so their writes (sessions: logins, CSRF tokens, booking
 *   references) were lost although they had reported success;
 * - every statement waiting in SQLite's busy handler sleeps in a pool thread: a
 *   few session writes waiting for a booking's write lock took all four
 *   threads, the booking could not run the statement that would release the
 *   lock, and every request stalled for a whole busy timeout.
 * One statement at a time, a connection holds at most one pool thread, and a
 * refused statement fails alone.
 */
export class OneStatementAtATimeDatabase extends sqlite3.Database {
  private readonly statements = new SerialQueue();

  /* eslint-disable @typescript-eslint/no-explicit-any -- the same loose signatures as node-sqlite3's own */
  /* eslint-disable @typescript-eslint/unbound-method -- enqueue() calls each one with this connection as `this` */
  override run(sql: string, ...args: any[]): this {
    return this.enqueue(super.run as Method, sql, args);
  }

  override all(sql: string, ...args: any[]): this {
    return this.enqueue(super.all as Method, sql, args);
  }

  override get(sql: string, ...args: any[]): this {
    return this.enqueue(super.get as Method, sql, args);
  }

  override exec(sql: string, ...args: any[]): this {
    return this.enqueue(super.exec as Method, sql, args);
  }
  /* eslint-enable @typescript-eslint/unbound-method */
  /* eslint-enable @typescript-eslint/no-explicit-any */

  private enqueue(method: Method, sql: string, args: unknown[]): this {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
    void this.statements.run(
      () =>
        new Promise<void>((done) => {
          let called = false;
          // node-sqlite3 reports a failed preparation twice (to both of its callbacks); pass it on once.
          method.call(this, sql, ...args, function (this: unknown, ...results: unknown[]) {
            if (called) return;
            called = true;
            try {
              callback?.apply(this, results);
            } finally {
              done();
            }
          });
        }),
    );
    return this;
  }
}

/** The sqlite3 module as TypeORM loads it (`driver` option), with connections that run one statement at a time. */
export const oneStatementAtATimeSqlite3 = {
  ...sqlite3,
  Database: OneStatementAtATimeDatabase,
  verbose() {
    return this;
  },
};
