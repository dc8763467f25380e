import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { flash } from '../common/views/flash';
import { SettingsService } from './settings.service';

/** Where an admin without two-factor sign-in may still go: to set it up, or to leave. */
const OPEN_PATHS = /^\/(account(\/|$)|logout$|login(\/|$))/;

/**
 * "Require two-factor sign-in for administrators": while the setting is on, an admin logged in
 * without it reaches nothing but /account (where it is set up) until it is on.
 */
@Injectable()
export class TwoFactorRequirementMiddleware implements NestMiddleware {
  constructor(private readonly settings: SettingsService) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const user = req.user;
    if (user?.role !== 'admin' || user.twoFactor || OPEN_PATHS.test(req.path)) return next();
    try {
      if (!(await this.settings.get()).requireTwoFactorForAdmins) return next();
    } catch (error) {
      return next(error);
    }
    flash(
      req,
      'error',
      'This site requires two-factor sign-in for administrators: set it up first.',
    );
    res.redirect(303, '/account#two-factor');
  }
}
