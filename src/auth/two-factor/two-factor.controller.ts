import { Controller, Get, NotFoundException, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../../common/forms/form-page';
import { FormBody } from '../../common/forms/form.pipe';
import { InvalidFieldError } from '../../common/forms/invalid-field.error';
import { flash } from '../../common/views/flash';
import { RateLimit } from '../../rate-limits/rate-limit.decorator';
import { LoginLockoutService } from '../../rate-limits/login-lockout.service';
import { AccountPage } from '../account-page';
import { CodeForm } from '../dto/two-factor.forms';
import { CurrentUser } from '../guards/current-user.decorator';
import { LoggedInGuard } from '../guards/logged-in.guard';
import { AccountSessions } from '../session/account-sessions.service';
import { saveSession } from '../session/session-lifecycle';
import type { SessionUser } from '../session-user';
import { UsersService } from '../users.service';
import {
  enrolmentSecret,
  forgetEnrolmentSecret,
  keepEnrolmentSecret,
  pendingLogin,
} from './two-factor-session';
import { TwoFactorService } from './two-factor.service';
import { newTotpSecret, totpUri } from './totp';
import { qrSvg } from '../../common/qr-svg';

/** Two-factor sign-in: the code at login (/login/2fa), turning it on and off (/account/2fa/…). */
@Controller()
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly sessions: AccountSessions,
    private readonly users: UsersService,
    private readonly lockout: LoginLockoutService,
    private readonly accountPage: AccountPage,
  ) {}

  @Get('login/2fa')
  codeForm(@Req() req: Request, @Res() res: Response) {
    if (!pendingLogin(req)) return res.redirect(303, '/login');
    res.render('auth/login-2fa', this.codeFormAgain({}, {}, req));
  }

  /** Wrong codes count as failed logins of the account (and the route is throttled per address). */
  @Post('login/2fa')
  @RateLimit('auth')
  @FormPage('auth/login-2fa', 'codeFormAgain')
  async logIn(@FormBody(CodeForm) form: CodeForm, @Req() req: Request, @Res() res: Response) {
    const pending = pendingLogin(req);
    if (!pending) return res.redirect(303, '/login');
    const accepted = await this.lockout.guard(pending.email, async () =>
      (await this.twoFactor.accepts(pending.userId, form.code)) ? true : undefined,
    );
    if (!accepted)
      throw new InvalidFieldError('code', 'That code is not right, or it was used already.');
    const user = await this.users.findSessionUser(pending.userId);
    if (!user) return res.redirect(303, '/login');
    await this.sessions.logIn(req, user);
    return res.redirect(303, pending.next ?? '/organiser');
  }

  codeFormAgain: FormView = (values, errors) => ({
    title: 'Two-factor sign-in',
    values,
    errors,
  });

  /** Shows a new secret (QR code, text, otpauth URI); it is kept once a first code confirms it. */
  @Post('account/2fa/setup')
  @UseGuards(LoggedInGuard)
  async setup(@CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response) {
    if (user.twoFactor) return res.redirect(303, '/account');
    keepEnrolmentSecret(req, newTotpSecret());
    await saveSession(req); // before the page: its QR image reads the secret from the session
    res.status(200).render('auth/two-factor-setup', await this.setupAgain({}, {}, req));
  }

  setupAgain: FormView = (values, errors, req) => {
    const secret = enrolmentSecret(req)!;
    return {
      title: 'Set up two-factor sign-in',
      secret: secret.replace(/(.{4})(?=.)/g, '$1 '),
      uri: enrolmentUri(req, secret),
      values,
      errors,
    };
  };

  /** The QR code of the secret being enrolled: a same-site image, so the page inlines no markup. */
  @Get('account/2fa/qr.svg')
  @UseGuards(LoggedInGuard)
  async qr(@Req() req: Request, @Res() res: Response) {
    const secret = enrolmentSecret(req);
    if (!secret) throw new NotFoundException();
    res
      .set('Content-Type', 'image/svg+xml')
      .set('Cache-Control', 'no-store')
      .send(await qrSvg(enrolmentUri(req, secret)));
  }

  @Post('account/2fa/enable')
  @UseGuards(LoggedInGuard)
  @RateLimit('auth')
  @FormPage('auth/two-factor-setup', 'setupAgain')
  async enable(
    @CurrentUser() user: SessionUser,
    @FormBody(CodeForm) form: CodeForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const secret = enrolmentSecret(req);
    if (!secret || user.twoFactor) return res.redirect(303, '/account');
    const codes = await this.twoFactor.enable(user, secret, form.code);
    forgetEnrolmentSecret(req);
    res.status(200).render('auth/recovery-codes', { title: 'Your recovery codes', codes });
  }

  @Post('account/2fa/disable')
  @UseGuards(LoggedInGuard)
  @RateLimit('auth')
  @FormPage('auth/account', 'accountAgain')
  async disable(
    @CurrentUser() user: SessionUser,
    @FormBody(CodeForm) form: CodeForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.twoFactor.disable(user, form.code);
    flash(req, 'success', 'Two-factor sign-in is off: logging in asks for your password only.');
    return res.redirect(303, '/account');
  }

  accountAgain: FormView = (values, errors, req) =>
    this.accountPage.view(req.user!, values, errors);
}

/** What the authenticator app is given: this site's name and the account's address with the secret. */
const enrolmentUri = (req: Request, secret: string) =>
  totpUri(secret, req.user!.email, (req.res!.locals.site as { name: string }).name);
