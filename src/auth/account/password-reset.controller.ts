import { Controller, Get, HttpStatus, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../../common/forms/form-page';
import { FormBody } from '../../common/forms/form.pipe';
import { flash } from '../../common/views/flash';
import { RateLimit } from '../../rate-limits/rate-limit.decorator';
import { ForgotPasswordForm, ResetPasswordForm } from '../dto/account.forms';
import { AccountService } from './account.service';
import { AccountTokensService, InvalidLinkError } from './account-tokens.service';

/** A forgotten password: a link by mail (GET/POST /forgot-password), a new password (/reset-password). */
@Controller()
export class PasswordResetController {
  constructor(
    private readonly account: AccountService,
    private readonly tokens: AccountTokensService,
  ) {}

  @Get('forgot-password')
  @Render('auth/forgot-password')
  forgotForm() {
    return { title: 'Forgot your password?', values: {}, errors: {} };
  }

  /** The same answer whether or not the address is an account's. */
  @Post('forgot-password')
  @RateLimit('auth')
  @FormPage('auth/forgot-password', 'forgotFormAgain')
  async forgot(@FormBody(ForgotPasswordForm) form: ForgotPasswordForm, @Res() res: Response) {
    await this.account.requestPasswordReset(form.email);
    res
      .status(200)
      .render('auth/forgot-password', { title: 'Forgot your password?', sentTo: form.email });
  }

  forgotFormAgain: FormView = (values, errors) => ({
    title: 'Forgot your password?',
    values,
    errors,
  });

  @Get('reset-password')
  async resetForm(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response) {
    const link = await this.tokens.find(token, 'password_reset');
    const errors = link ? {} : new InvalidLinkError().errors;
    res
      .status(link ? HttpStatus.OK : HttpStatus.BAD_REQUEST)
      .render('auth/reset-password', this.resetFormAgain({ token: String(token) }, errors, req));
  }

  @Post('reset-password')
  @RateLimit('auth')
  @FormPage('auth/reset-password', 'resetFormAgain')
  async reset(
    @FormBody(ResetPasswordForm) form: ResetPasswordForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.account.resetPassword(form.token, form.password);
    flash(
      req,
      'success',
      'Your password is changed and your account was logged out everywhere. Log in with the new password.',
    );
    return res.redirect(303, '/login');
  }

  resetFormAgain: FormView = (values, errors) => ({
    title: 'Choose a new password',
    values,
    errors,
  });
}
