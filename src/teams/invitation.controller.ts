import { Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { flash } from '../common/views/flash';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { AcceptInvitationForm } from './dto/team.forms';
import { InvitationsService } from './invitations.service';
import { ROLE_DESCRIPTIONS } from './roles';

/**
 * The link of an invitation mail: the page says what joining means and asks for a press of
 * "Join" (so a mail scanner opening the link changes nothing); a visitor logs in or creates
 * an account first and comes back here.
 */
@Controller('invitations/accept')
export class InvitationController {
  constructor(private readonly invitations: InvitationsService) {}

  /** 400 for a link that does not work (any more). */
  @Get()
  @RateLimit('auth')
  async show(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response) {
    const view = await this.view(req, token, {});
    res.status(view.offer ? 200 : 400).render('teams/invitation', view);
  }

  private async view(req: Request, token: unknown, errors: object) {
    const offer = await this.invitations.offer(token);
    const link = typeof token === 'string' ? token : '';
    const here = `/invitations/accept?token=${encodeURIComponent(link)}`;
    return {
      title: offer ? `Join ${offer.organisationName}` : 'Invitation',
      offer,
      token: link,
      loggedIn: req.user !== undefined,
      next: encodeURIComponent(here),
      errors,
    };
  }

  pageAgain: FormView = (values, errors, req) => this.view(req, values.token, errors);

  @Post()
  @UseGuards(LoggedInGuard)
  @RateLimit('auth')
  @FormPage('teams/invitation', 'pageAgain')
  async accept(
    @CurrentUser() user: Express.User,
    @FormBody(AcceptInvitationForm) form: AcceptInvitationForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const joined = await this.invitations.accept(user, form.token);
    flash(
      req,
      'success',
      `Welcome to ${joined.name}: you joined as ${ROLE_DESCRIPTIONS[joined.role]}.`,
    );
    return res.redirect(303, '/organiser');
  }
}
