import { HttpStatus, Injectable } from '@nestjs/common';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { AuditLogService } from '../../audit/audit-log.service';
import { lockRow, lockTableForWriting } from '../../database/locks';
import { TransactionRunner } from '../../database/transaction-runner';
import { LoginLockoutService } from '../../rate-limits/login-lockout.service';
import { User } from '../entities/user.entity';
import { hashPassword } from '../passwords/password-hash';
import { passwordProblem } from '../passwords/password-policy';
import { AccountSessions } from '../session/account-sessions.service';
import type { SessionUser } from '../session-user';
import { UsersService } from '../users.service';
import { AccountTokensService, InvalidLinkError } from './account-tokens.service';

/** Reset links one account may be sent an hour; past it a request is answered the same, and sends nothing. */
const RESETS_PER_HOUR = 3;

type LoggedIn = SessionUser & { loginKey?: string };

const userSubject = (user: { id: number; email: string }) => `user ${user.id} ${user.email}`;

/** An account's owner looking after it: a forgotten password, a new password, a new address. */
@Injectable()
export class AccountService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tokens: AccountTokensService,
    private readonly sessions: AccountSessions,
    private readonly users: UsersService,
    private readonly lockout: LoginLockoutService,
    private readonly auditLog: AuditLogService,
  ) {}

  /** Mails a reset link when the address is an account's (and it has not had too many); says nothing either way. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const user = await manager.findOneBy(User, { email });
      if (!user) return;
      // Requests for one account take turns, so the count below is exact.
      await lockRow(manager, User, user.id, 'exclusive');
      const hourAgo = new Date(Date.now() - 3_600_000);
      if (
        (await this.tokens.issuedSince(manager, user.id, 'password_reset', hourAgo)) >=
        RESETS_PER_HOUR
      )
        return;
      await this.tokens.issue(manager, user, 'password_reset', user.email);
    });
  }

  /** Sets the password a reset link was for; every session of the account ends, and its other links stop working. */
  async resetPassword(token: string, password: string): Promise<void> {
    const link = await this.tokens.find(token, 'password_reset');
    const account = link && (await this.users.findSessionUser(link.userId));
    if (!account) throw new InvalidLinkError();
    this.refuseWeak('password', password, account.email);
    const passwordHash = await hashPassword(password);
    await this.transactions.run(async (manager) => {
      const link = await this.tokens.redeem(manager, token, 'password_reset');
      const user = await manager.findOneByOrFail(User, { id: link.userId });
      await manager.update(User, { id: user.id }, { passwordHash });
      await this.tokens.voidAll(manager, user.id);
      await this.sessions.endAllBut(manager, user.id, undefined);
      await this.auditLog.record(manager, user, 'user.password-reset', userSubject(user));
    });
  }

  /** A new password, given the current one; the account's other sessions end. */
  async changePassword(user: LoggedIn, currentPassword: string, newPassword: string) {
    await this.checkCurrentPassword(user, currentPassword, 'currentPassword');
    this.refuseWeak('newPassword', newPassword, user.email);
    const passwordHash = await hashPassword(newPassword);
    await this.transactions.run(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash });
      await this.tokens.voidAll(manager, user.id);
      await this.sessions.endAllBut(manager, user.id, user.loginKey);
      await this.auditLog.record(manager, user, 'user.password-changed', userSubject(user));
    });
  }

  /** Mails a confirmation link to the new address; the account keeps its address until it is followed. */
  async requestEmailChange(user: SessionUser, newEmail: string, currentPassword: string) {
    await this.checkCurrentPassword(user, currentPassword, 'password');
    if (newEmail === user.email)
      throw new InvalidFieldError('email', 'This is your address already.');
    await this.transactions.run(async (manager) => {
      if (await manager.existsBy(User, { email: newEmail })) throw emailTaken();
      await this.tokens.issue(manager, user, 'email_change', newEmail, newEmail);
    });
  }

  /** Follows a confirmation link: the account's address becomes the new one (unless another account took it meanwhile). */
  async confirmEmailChange(token: string): Promise<string> {
    return this.transactions.run(async (manager) => {
      const link = await this.tokens.redeem(manager, token, 'email_change');
      const newEmail = link.newEmail!;
      await lockTableForWriting(manager, 'users');
      if (await manager.existsBy(User, { email: newEmail })) throw emailTaken();
      const user = await manager.findOneByOrFail(User, { id: link.userId });
      await manager.update(User, { id: user.id }, { email: newEmail });
      await this.tokens.voidAll(manager, user.id);
      await this.auditLog.record(
        manager,
        { id: user.id, email: newEmail },
        'user.email-changed',
        userSubject(user),
        `to ${newEmail}`,
      );
      return newEmail;
    });
  }

  /** Wrong guesses count as failed logins of the account (and the routes are throttled per address). */
  private async checkCurrentPassword(
    user: SessionUser,
    password: string,
    field: string,
  ): Promise<void> {
    const matches = await this.lockout.guard(user.email, () =>
      this.users.verifyCredentials(user.email, password),
    );
    if (!matches) throw new InvalidFieldError(field, 'This is not your current password.');
  }

  private refuseWeak(field: string, password: string, email: string): void {
    const problem = passwordProblem(password, email);
    if (problem) throw new InvalidFieldError(field, problem);
  }
}

const emailTaken = () =>
  new InvalidFieldError('email', 'An account with this email already exists.', HttpStatus.CONFLICT);
