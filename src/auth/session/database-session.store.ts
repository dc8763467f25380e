import { Store, SessionData } from 'express-session';
import { LessThan, Repository } from 'typeorm';
import { Session } from '../entities/session.entity';

type Callback = (error?: unknown) => void;

/**
 * express-session store on the app's own database, so logins survive a restart.
 * It must be given a repository on a DataSource of its own: on SQLite, TypeORM's
 * single shared connection would otherwise put session writes inside whatever
 * booking transaction is open (and roll them back with it).
 */
export class DatabaseSessionStore extends Store {
  constructor(
    private readonly sessions: Repository<Session>,
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
    this.sessions
      .upsert({ id: sid, expiresAt: this.expiryOf(session), data: JSON.stringify(session) }, ['id'])
      .then(
        () => callback?.(),
        (error) => callback?.(error),
      );
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.sessions.update({ id: sid }, { expiresAt: this.expiryOf(session) }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.sessions.delete({ id: sid }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  /** Deletes expired sessions; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const result = await this.sessions.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }

  private expiryOf(session: SessionData): number {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }
}
