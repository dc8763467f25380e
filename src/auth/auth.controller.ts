import { Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { forgetSignedCookies } from '../common/http/signed-cookies';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { RegisterForm } from './dto/register.form';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { safeNextPath } from './safe-next-path';
import { AccountSessions } from './session/account-sessions.service';
import { saveSession } from './session/session-lifecycle';
import { awaitSecondFactor } from './two-factor/two-factor-session';
import { SESSION_COOKIE } from '../common/http/session-cookie';
import { UsersService } from './users.service';

@Controller()
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: AccountSessions,
  ) {}

  @Get('login')
  @Render('auth/login')
  loginForm(@Query('next') next?: unknown) {
    return { title: 'Log in', next: safeNextPath(next) };
  }

  @Post('login')
  @UseGuards(LocalAuthGuard)
  @RateLimit('auth') // below, so it runs first: counted before the password is checked
  async login(@Req() req: Request, @Res() res: Response) {
    const next = safeNextPath((req.body as Record<string, unknown>).next);
    if (!req.user)
      return res.redirect(303, next ? `/auth-fail?next=${encodeURIComponent(next)}` : '/auth-fail');
    if (req.user.twoFactor) {
      awaitSecondFactor(req, req.user, next);
      await saveSession(req); // before the redirect, which the browser follows at once
      return res.redirect(303, '/login/2fa');
    }
    await this.sessions.logIn(req, req.user);
    return res.redirect(303, next ?? '/organiser');
  }

  /** Keeps `next`, so trying again still leads where the visitor was going. */
  @Get('auth-fail')
  @Render('auth/auth-fail')
  authFail(@Query('next') next?: unknown) {
    const safeNext = safeNextPath(next);
    return {
      title: 'Login failed',
      loginUrl: safeNext ? `/login?next=${encodeURIComponent(safeNext)}` : '/login',
    };
  }

  @Get('register')
  @Render('auth/register')
  registerForm(@Query('next') next?: unknown) {
    return { title: 'Create an account', values: { next: safeNextPath(next) }, errors: {} };
  }

  @Post('register')
  @RateLimit('auth')
  @FormPage('auth/register', 'registerFormAgain')
  async register(
    @FormBody(RegisterForm) form: RegisterForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const user = await this.users.register(form);
    await this.sessions.logIn(req, user);
    // From an invitation: back to it, to accept it with the new account.
    return res.redirect(
      303,
      safeNextPath((req.body as Record<string, unknown>).next) ?? '/organiser',
    );
  }

  registerFormAgain: FormView = (values, errors) => ({
    title: 'Create an account',
    values,
    errors,
  });

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    await this.sessions.logOut(req);
    res.clearCookie(SESSION_COOKIE);
    forgetSignedCookies(req);
    return res.redirect(303, '/');
  }
}
