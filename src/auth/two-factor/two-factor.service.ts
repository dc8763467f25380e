import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AuditLogService } from '../../audit/audit-log.service';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { randomCode } from '../../common/random-code';
import { AppConfig } from '../../config/app-config';
import { insertWithoutReadBack } from '../../database/inserts';
import { TransactionRunner } from '../../database/transaction-runner';
import { RecoveryCode } from '../entities/recovery-code.entity';
import { User } from '../entities/user.entity';
import type { SessionUser } from '../session-user';
import { SecretBox } from '../../common/secret-box';
import { stepOfCode } from './totp';

const RECOVERY_CODES = 10;

/** A recovery code as typed (any case, with or without its dash or spaces), hashed as stored. */
const recoveryHash = (code: string) =>
  createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex');

const wrongCode = (field = 'code') =>
  new InvalidFieldError(field, 'That code is not right, or it was used already.');

const userSubject = (user: { id: number; email: string }) => `user ${user.id} ${user.email}`;

/**
 * Two-factor sign-in: an account's TOTP secret and its recovery codes. Each code is accepted
 * once: a TOTP code by moving the account's last accepted time step forward (a conditional
 * UPDATE, so two requests with one code cannot both pass), a recovery code by marking it used.
 */
@Injectable()
export class TwoFactorService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(RecoveryCode) private readonly recoveryCodes: Repository<RecoveryCode>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    config: AppConfig,
  ) {
    this.box = new SecretBox(config.sessionSecret);
  }

  /**
   * Turns two-factor sign-in on with the secret the owner's app was given, once a first code
   * from it is right; returns the ten recovery codes, to be shown this once.
   */
  async enable(user: SessionUser, secret: string, code: string): Promise<string[]> {
    const step = stepOfCode(secret, code);
    if (step === undefined) throw wrongCode();
    const codes = Array.from({ length: RECOVERY_CODES }, () => {
      const plain = randomCode(10);
      return `${plain.slice(0, 5)}-${plain.slice(5)}`;
    });
    await this.transactions.run(async (manager) => {
      const { affected } = await manager.update(
        User,
        { id: user.id, totpEnabledAt: IsNull() },
        { totpSecret: this.box.seal(secret), totpEnabledAt: new Date(), totpLastStep: step },
      );
      if (affected !== 1) throw new InvalidFieldError('code', 'Two-factor sign-in is on already.');
      await manager.delete(RecoveryCode, { userId: user.id });
      await insertWithoutReadBack(
        manager,
        RecoveryCode,
        codes.map((plain) => ({ userId: user.id, codeHash: recoveryHash(plain) })),
      );
      await this.auditLog.record(manager, user, 'user.two-factor-enabled', userSubject(user));
    });
    return codes;
  }

  /** Turns it off, given a code (from the app, or a recovery code). */
  async disable(user: SessionUser, code: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      if (!(await this.redeem(manager, user.id, code))) throw wrongCode();
      await manager.update(
        User,
        { id: user.id },
        { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
      );
      await manager.delete(RecoveryCode, { userId: user.id });
      await this.auditLog.record(manager, user, 'user.two-factor-disabled', userSubject(user));
    });
  }

  /** Whether `code` lets this account in now; a code that does is used up. */
  async accepts(userId: number, code: string): Promise<boolean> {
    return this.transactions.run((manager) => this.redeem(manager, userId, code));
  }

  recoveryCodesLeft(userId: number): Promise<number> {
    return this.recoveryCodes.countBy({ userId, usedAt: IsNull() });
  }

  /** The secret, or undefined when it was sealed under another SESSION_SECRET: recovery codes still work. */
  private openSecret(sealed: string): string | undefined {
    try {
      return this.box.open(sealed);
    } catch {
      return undefined;
    }
  }

  private async redeem(manager: EntityManager, userId: number, code: string): Promise<boolean> {
    if (code.length > 40) return false;
    const user = await manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.totpSecret')
      .where('user.id = :userId', { userId })
      .getOne();
    if (!user?.totpSecret) return false;
    const secret = this.openSecret(user.totpSecret);
    const step = secret === undefined ? undefined : stepOfCode(secret, code);
    if (step !== undefined) {
      const { affected } = await manager
        .createQueryBuilder()
        .update(User)
        .set({ totpLastStep: step })
        .where('id = :userId AND (totp_last_step IS NULL OR totp_last_step < :step)', {
          userId,
          step,
        })
        .execute();
      return affected === 1;
    }
    const { affected } = await manager.update(
      RecoveryCode,
      { userId, codeHash: recoveryHash(code), usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return affected === 1;
  }
}
