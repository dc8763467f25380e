import { Injectable } from '@nestjs/common';
import { AccountSessions } from './session/account-sessions.service';
import type { SessionUser } from './session-user';
import { TwoFactorService } from './two-factor/two-factor.service';

/** What /account shows (views/auth/account.hbs), with a refused form's values and errors. */
@Injectable()
export class AccountPage {
  constructor(
    private readonly sessions: AccountSessions,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async view(user: SessionUser & { loginKey?: string }, values: object = {}, errors: object = {}) {
    return {
      title: 'Your account',
      account: user,
      sessions: await this.sessions.list(user),
      recoveryCodesLeft: user.twoFactor ? await this.twoFactor.recoveryCodesLeft(user.id) : 0,
      values,
      errors,
    };
  }
}
