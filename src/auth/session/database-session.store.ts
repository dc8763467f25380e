import { Store, SessionData } from 'express-session';
import { LessThan, Repository } from 'typeorm';
import { TransactionRunner } from '../../database/transaction-runner';
import { Session } from '../entities/session.entity';

type Callback = (error?: unknown) => void;

/**
 * express-session store on the app's own database, so logins survive a restart: read
 * through `sessions` (the reader), written through the TransactionRunner like every write.
 */
export class DatabaseSessionStore extends Store {
  constructor(
    private readonly sessions: Repository<Session>,
    private readonly transactions: TransactionRunner,
    private readonly defaultTtlMs: number,
  ) {
    super();
  }

  override get(
    sid: string,
    callback: (error: unknown, session?: SessionData | null) => void,
  ): void {
    this.sessions.findOneBy({ id: sid }).then(
      (row) =>
        callback(
          null,
          row && row.expiresAt > Date.now() ? (JSON.parse(row.data) as SessionData) : null,
        ),
      (error) => callback(error),
    );
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const row = { id: sid, expiresAt: this.expiryOf(session), data: JSON.stringify(session) };
    this.settle(
      this.transactions.run((manager) => manager.upsert(Session, row, ['id'])),
      callback,
    );
  }

  /**
   * Nothing to write: a logged-in session keeps the expiry it got at login (sessionTimeouts),
   * and every change to a session is saved whole through set(). express-session touches on
   * every request, which would otherwise make each page view a write.
   */
  override touch(_sid: string, _session: SessionData, callback?: Callback): void {
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    this.settle(
      this.transactions.run((manager) => manager.delete(Session, { id: sid })),
      callback,
    );
  }

  /** Deletes expired sessions; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const result = await this.transactions.run((manager) =>
      manager.delete(Session, { expiresAt: LessThan(now) }),
    );
    return result.affected ?? 0;
  }

  private settle(write: Promise<unknown>, callback?: Callback): void {
    write.then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  private expiryOf(session: SessionData): number {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }
}
