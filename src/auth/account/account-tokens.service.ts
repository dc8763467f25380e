import { HttpStatus, Injectable } from '@nestjs/common';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { insertReturningId } from '../../database/inserts';
import { DomainEvents } from '../../domain-events/domain-events.service';
import { AccountToken, AccountTokenPurpose } from '../entities/account-token.entity';
import { User } from '../entities/user.entity';
import { AccountLinks } from './account-links';

/** How long a link works: a reset is a key to the account, so it is short. */
const LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  password_reset: 60 * 60_000,
  email_change: 24 * 60 * 60_000,
};

const PATHS: Record<AccountTokenPurpose, string> = {
  password_reset: '/reset-password',
  email_change: '/account/confirm-email',
};

/** A link that does not work (any more): its form is shown again, 400, saying so at `token`. */
export class InvalidLinkError extends InvalidFieldError {
  constructor() {
    super(
      'token',
      'This link does not work: it was used already, it has expired, or it was mistyped.',
      HttpStatus.BAD_REQUEST,
    );
  }
}

/** What the mail of a link says. */
export interface AccountLinkMail {
  purpose: AccountTokenPurpose;
  /** The path and query of the link (the mail adds the site's address). */
  path: string;
  displayName: string;
  newEmail: string | null;
  expiresAt: Date;
}

/** Single-use links mailed to an account's owner: issued, read, and used up exactly once. */
@Injectable()
export class AccountTokensService {
  private readonly links: AccountLinks;

  constructor(
    @InjectRepository(AccountToken) private readonly tokens: Repository<AccountToken>,
    private readonly events: DomainEvents,
    config: AppConfig,
  ) {
    this.links = new AccountLinks(config.sessionSecret);
  }

  /** Makes a link in the caller's transaction and queues its mail (to `recipient`) there too. */
  async issue(
    manager: EntityManager,
    user: { id: number },
    purpose: AccountTokenPurpose,
    recipient: string,
    newEmail: string | null = null,
  ): Promise<void> {
    const tokenId = await insertReturningId(manager, AccountToken, {
      userId: user.id,
      purpose,
      nonce: AccountLinks.newNonce(),
      newEmail,
      expiresAt: new Date(Date.now() + LIFETIME_MS[purpose]),
    });
    await this.events.record(manager, { type: 'account.link_issued', tokenId, purpose, recipient });
  }

  /** Links of this purpose made for the account since `since` (used or not). */
  issuedSince(manager: EntityManager, userId: number, purpose: AccountTokenPurpose, since: Date) {
    return manager.countBy(AccountToken, { userId, purpose, createdAt: MoreThan(since) });
  }

  /** The link's row while it still works (unused, unexpired, the token its own); no change made. */
  async find(token: unknown, purpose: AccountTokenPurpose): Promise<AccountToken | undefined> {
    return this.findIn(this.tokens.manager, token, purpose);
  }

  /** Uses the link up in the caller's transaction, exactly once: a second use is refused. */
  async redeem(
    manager: EntityManager,
    token: unknown,
    purpose: AccountTokenPurpose,
  ): Promise<AccountToken> {
    const row = await this.findIn(manager, token, purpose);
    if (!row) throw new InvalidLinkError();
    const { affected } = await manager.update(
      AccountToken,
      { id: row.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      { usedAt: new Date() },
    );
    if (affected !== 1) throw new InvalidLinkError();
    return row;
  }

  /** Every link of the account not used yet stops working (its password or email just changed). */
  async voidAll(manager: EntityManager, userId: number): Promise<void> {
    await manager.update(AccountToken, { userId, usedAt: IsNull() }, { usedAt: new Date() });
  }

  /** The mail of a link, or undefined once it no longer works (there is nothing left to send). */
  async mailFor(tokenId: number): Promise<AccountLinkMail | undefined> {
    const row = await this.tokens.findOneBy({ id: tokenId, usedAt: IsNull() });
    if (!row || row.expiresAt <= new Date()) return undefined;
    const user = await this.tokens.manager.findOneBy(User, { id: row.userId });
    if (!user) return undefined;
    return {
      purpose: row.purpose,
      path: `${PATHS[row.purpose]}?token=${encodeURIComponent(this.links.tokenFor(row))}`,
      displayName: user.displayName,
      newEmail: row.newEmail,
      expiresAt: row.expiresAt,
    };
  }

  private async findIn(
    manager: EntityManager,
    token: unknown,
    purpose: AccountTokenPurpose,
  ): Promise<AccountToken | undefined> {
    const id = AccountLinks.idOf(token);
    if (id === undefined) return undefined;
    const row = await manager.findOneBy(AccountToken, { id, purpose, usedAt: IsNull() });
    if (!row || row.expiresAt <= new Date() || !this.links.fits(row, token as string))
      return undefined;
    return row;
  }
}
