import { mayInCurrentOrganisation } from '../auth/organisations/access';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SettingsService } from './settings.service';
import { CsrfTokens } from '../common/http/csrf.guard';
import { takeFlash } from '../common/views/flash';

/** What every page's layout needs: the site header, who is logged in, flash messages, the CSRF token. */
@Injectable()
export class ViewLocalsMiddleware implements NestMiddleware {
  constructor(
    private readonly settings: SettingsService,
    private readonly csrf: CsrfTokens,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      res.locals.site = await this.settings.get();
    } catch (error) {
      return next(error);
    }
    res.locals.currentUser = req.user;
    res.locals.isAdmin = req.user?.role === 'admin';
    res.locals.managesEvents = req.user && mayInCurrentOrganisation(req.user, 'manage');
    res.locals.ownsOrganisation = req.user && mayInCurrentOrganisation(req.user, 'own');
    res.locals.flash = takeFlash(req);
    // A function, so Handlebars only makes a token (and its cookie) on pages that have a form;
    // once per page, however many forms it has.
    let token: string | undefined;
    res.locals.csrfToken = () => (token ??= this.csrf.tokenFor(req, res));
    next();
  }
}
