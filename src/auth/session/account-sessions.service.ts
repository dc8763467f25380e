import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { EntityManager, In, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { insertWithoutReadBack } from '../../database/inserts';
import { afterCommit, TransactionRunner } from '../../database/transaction-runner';
import { AccountSession } from '../entities/account-session.entity';
import type { SessionUser } from '../session-user';
import { endSession, logIn } from './session-lifecycle';
import { describeUserAgent } from './user-agent';
import { SessionStoreProvider } from './session-store.provider';

/** A login as /account lists it. */
export interface AccountSessionItem {
  id: number;
  ip: string;
  userAgent: string;
  /** "Firefox on Windows" */
  browser: string;
  createdAt: Date;
  current: boolean;
}

/**
 * The logins of each account (`account_sessions`). The session keeps the login's key beside the
 * user id, and a request is logged in only while its login is not ended (SessionSerializer), so
 * ending one takes effect at its next request, whatever the session store; its session is also
 * deleted from the store (the database or Redis).
 */
@Injectable()
export class AccountSessions {
  constructor(
    @InjectRepository(AccountSession) private readonly sessions: Repository<AccountSession>,
    private readonly transactions: TransactionRunner,
    private readonly storeProvider: SessionStoreProvider,
    private readonly config: AppConfig,
  ) {}

  /** Logs `user` in on this request (a new session id) and records the login. */
  async logIn(req: Request, user: SessionUser): Promise<void> {
    const loginKey = randomBytes(24).toString('base64url');
    await logIn(req, { ...user, loginKey });
    const lifetimeAgo = new Date(Date.now() - this.config.sessionAbsoluteMs);
    await this.transactions.run(async (manager) => {
      // The account's logins that ended or ran out are of no more use to anyone.
      await manager.delete(AccountSession, { userId: user.id, endedAt: Not(IsNull()) });
      await manager.delete(AccountSession, { userId: user.id, createdAt: LessThan(lifetimeAgo) });
      await insertWithoutReadBack(manager, AccountSession, {
        userId: user.id,
        loginKey,
        sessionId: req.sessionID,
        ip: (req.ip ?? '').slice(0, 64),
        userAgent: (req.get('user-agent') ?? '').slice(0, 200),
      });
    });
  }

  /** Logs this request out: its login ends and its session is deleted. */
  async logOut(req: Request): Promise<void> {
    const loginKey = req.user?.loginKey;
    await endSession(req);
    if (loginKey)
      await this.transactions.run((manager) =>
        manager.update(AccountSession, { loginKey, endedAt: IsNull() }, { endedAt: new Date() }),
      );
  }

  /** The account's logins still alive (their sessions still in the store), newest first. */
  async list(user: { id: number; loginKey?: string }): Promise<AccountSessionItem[]> {
    const rows = await this.sessions.find({
      where: {
        userId: user.id,
        endedAt: IsNull(),
        createdAt: MoreThan(new Date(Date.now() - this.config.sessionAbsoluteMs)),
      },
      order: { id: 'DESC' },
    });
    const alive = await Promise.all(rows.map((row) => this.inStore(row.sessionId)));
    return rows
      .filter((_, index) => alive[index])
      .map((row) => ({
        id: row.id,
        ip: row.ip,
        userAgent: row.userAgent,
        browser: describeUserAgent(row.userAgent),
        createdAt: row.createdAt,
        current: row.loginKey === user.loginKey,
      }));
  }

  /**
   * Ends one login of the account (once): the key of the login ended, or undefined when the
   * account has none such still going.
   */
  async end(userId: number, id: number): Promise<string | undefined> {
    return this.transactions.run(async (manager) => {
      const row = await manager.findOneBy(AccountSession, { id, userId, endedAt: IsNull() });
      if (!row) return undefined;
      await this.endRows(manager, [row]);
      return row.loginKey;
    });
  }

  /** Ends every login of the account but the one of `keepLoginKey`, in the caller's transaction. */
  async endAllBut(
    manager: EntityManager,
    userId: number,
    keepLoginKey: string | undefined,
  ): Promise<void> {
    const rows = await manager.findBy(AccountSession, { userId, endedAt: IsNull() });
    await this.endRows(
      manager,
      rows.filter((row) => row.loginKey !== keepLoginKey),
    );
  }

  private async endRows(manager: EntityManager, rows: AccountSession[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.update(
      AccountSession,
      { id: In(rows.map(({ id }) => id)), endedAt: IsNull() },
      { endedAt: new Date() },
    );
    afterCommit(manager, () => {
      for (const row of rows) this.storeProvider.store.destroy(row.sessionId, () => undefined);
    });
  }

  private inStore(sessionId: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.storeProvider.store.get(sessionId, (error, session) => resolve(!error && !!session)),
    );
  }
}
