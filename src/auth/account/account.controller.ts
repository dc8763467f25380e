import {
  Controller,
  Get,
  NotFoundException,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../../common/forms/form-page';
import { FormBody } from '../../common/forms/form.pipe';
import { IdParam } from '../../common/http/id-param.decorator';
import { flash } from '../../common/views/flash';
import { RateLimit } from '../../rate-limits/rate-limit.decorator';
import { SESSION_COOKIE } from '../../common/http/session-cookie';
import { ChangeEmailForm, ChangePasswordForm, LinkForm } from '../dto/account.forms';
import { CurrentUser } from '../guards/current-user.decorator';
import { LoggedInGuard } from '../guards/logged-in.guard';
import { AccountSessions } from '../session/account-sessions.service';
import type { SessionUser } from '../session-user';
import { AccountPage } from '../account-page';
import { AccountService } from './account.service';
import { AccountTokensService, InvalidLinkError } from './account-tokens.service';

type LoggedIn = SessionUser & { loginKey?: string };

/** /account: the logged-in owner's password, email address and sessions. */
@Controller('account')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: AccountSessions,
    private readonly tokens: AccountTokensService,
    private readonly accountPage: AccountPage,
  ) {}

  @Get()
  @UseGuards(LoggedInGuard)
  @Render('auth/account')
  page(@CurrentUser() user: LoggedIn) {
    return this.accountPage.view(user);
  }

  pageAgain: FormView = (values, errors, req) => this.accountPage.view(req.user!, values, errors);

  @Post('password')
  @UseGuards(LoggedInGuard)
  @RateLimit('auth')
  @FormPage('auth/account', 'pageAgain')
  async changePassword(
    @CurrentUser() user: LoggedIn,
    @FormBody(ChangePasswordForm) form: ChangePasswordForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.account.changePassword(user, form.currentPassword, form.newPassword);
    flash(req, 'success', 'Your password is changed; your other sessions have ended.');
    return res.redirect(303, '/account');
  }

  @Post('email')
  @UseGuards(LoggedInGuard)
  @RateLimit('auth')
  @FormPage('auth/account', 'pageAgain')
  async changeEmail(
    @CurrentUser() user: LoggedIn,
    @FormBody(ChangeEmailForm) form: ChangeEmailForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.account.requestEmailChange(user, form.email, form.password);
    flash(
      req,
      'success',
      `We mailed a link to ${form.email}: your address changes when you follow it (within 24 hours).`,
    );
    return res.redirect(303, '/account');
  }

  /** The link of the mail shows a button: a mail scanner that follows links changes nothing. */
  @Get('confirm-email')
  async confirmForm(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response) {
    const link = await this.tokens.find(token, 'email_change');
    const errors = link ? {} : new InvalidLinkError().errors;
    const view = await this.confirmAgain({ token: String(token) }, errors, req);
    res
      .status(link ? 200 : 400)
      .render('auth/confirm-email', { ...view, newEmail: link?.newEmail });
  }

  @Post('confirm-email')
  @RateLimit('auth')
  @FormPage('auth/confirm-email', 'confirmAgain')
  async confirm(@FormBody(LinkForm) form: LinkForm, @Req() req: Request, @Res() res: Response) {
    const email = await this.account.confirmEmailChange(form.token);
    flash(req, 'success', `Your account's email address is now ${email}.`);
    return res.redirect(303, req.user ? '/account' : '/login');
  }

  confirmAgain: FormView = (values, errors) => ({
    title: 'Confirm your new email address',
    values,
    errors,
  });

  @Post('sessions/:id/end')
  @UseGuards(LoggedInGuard)
  async endSession(
    @CurrentUser() user: LoggedIn,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const ended = await this.sessions.end(user.id, id);
    if (ended === undefined) throw new NotFoundException('No such session.');
    if (ended === user.loginKey) {
      res.clearCookie(SESSION_COOKIE);
      return res.redirect(303, '/');
    }
    flash(req, 'success', 'That session has ended: it is logged out.');
    return res.redirect(303, '/account');
  }
}
