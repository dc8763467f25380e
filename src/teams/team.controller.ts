import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MEMBER_ROLES } from '../auth/entities/membership.entity';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import { MemberAccess } from '../auth/guards/member-access.guard';
import { MembershipsService } from '../auth/organisations/memberships.service';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody, type FieldErrors, type FormValues } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import {
  InviteForm,
  OrganisationNameForm,
  RoleForm,
  SwitchOrganisationForm,
} from './dto/team.forms';
import { InvitationsService } from './invitations.service';
import { ROLE_DESCRIPTIONS } from './roles';
import { TeamService } from './team.service';

const TEAM = '/organiser/team';

/** /organiser/team: the owners' page of their organisation's members and invitations. */
@Controller('organiser')
@UseGuards(LoggedInGuard)
export class TeamController {
  constructor(
    private readonly team: TeamService,
    private readonly invitations: InvitationsService,
    private readonly memberships: MembershipsService,
  ) {}

  @Get('team')
  @MemberAccess('own')
  @Render('teams/team')
  page(@CurrentUser() user: SessionUser) {
    return this.view(user, { role: 'door' }, {});
  }

  teamAgain: FormView = (values, errors, req) => this.view(req.user!, values, errors);

  private async view(user: SessionUser, values: FormValues, errors: FieldErrors) {
    const organisation = user.organisation!;
    const [members, invitations] = await Promise.all([
      this.team.members(organisation.id),
      this.invitations.pendingOf(organisation.id),
    ]);
    return {
      title: `Team of ${organisation.name}`,
      organisation,
      members: members.map((member) => ({
        ...member,
        you: member.userId === user.id,
        roles: MEMBER_ROLES.map((role) => ({ role, chosen: role === member.role })),
      })),
      invitations,
      roles: MEMBER_ROLES.map((role) => ({
        role,
        description: ROLE_DESCRIPTIONS[role],
        chosen: role === values.role,
      })),
      values: { name: organisation.name, ...values },
      errors,
    };
  }

  @Post('team/invitations')
  @MemberAccess('own')
  @RateLimit('events')
  @FormPage('teams/team', 'teamAgain')
  async invite(
    @CurrentUser() user: SessionUser,
    @FormBody(InviteForm) form: InviteForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.invitations.invite(user, form.email, form.role);
    flash(
      req,
      'success',
      `An invitation is on its way to ${form.email}. Its link works for 7 days.`,
    );
    return res.redirect(303, TEAM);
  }

  @Post('team/invitations/:id/revoke')
  @MemberAccess('own')
  async revoke(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.invitations.revoke(user, id);
    flash(req, 'success', 'The invitation was revoked: its link no longer works.');
    return res.redirect(303, TEAM);
  }

  @Post('team/members/:id/role')
  @MemberAccess('own')
  @FormPage('teams/team', 'teamAgain')
  async changeRole(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(RoleForm) form: RoleForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.team.changeRole(user, id, form.role);
    flash(req, 'success', `The role is now ${form.role}.`);
    return res.redirect(303, TEAM);
  }

  @Post('team/members/:id/remove')
  @MemberAccess('own')
  @FormPage('teams/team', 'teamAgain')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.team.remove(user, id);
    flash(req, 'success', 'The member was removed: their access ended at once.');
    return res.redirect(303, TEAM);
  }

  @Post('team/name')
  @MemberAccess('own')
  @FormPage('teams/team', 'teamAgain')
  async rename(
    @CurrentUser() user: SessionUser,
    @FormBody(OrganisationNameForm) form: OrganisationNameForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.team.rename(user, form.name);
    flash(req, 'success', `The organisation is now called "${form.name}".`);
    return res.redirect(303, TEAM);
  }

  /** Any member may leave (from the dashboard; an owner from this page), except the last owner. */
  @Post('team/leave')
  @MemberAccess('door')
  @FormPage('teams/team', 'teamAgain')
  async leave(@CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response) {
    const left = await this.team.leave(user);
    flash(req, 'success', `You left ${left.name}.`);
    return res.redirect(303, '/organiser');
  }

  /** Which organisation this login works in (the dashboard's "Work in"). */
  @Post('organisation')
  async switchOrganisation(
    @CurrentUser() user: Express.User,
    @FormBody(SwitchOrganisationForm) form: SwitchOrganisationForm,
    @Res() res: Response,
  ) {
    await this.memberships.switchTo(user, form.organisationId);
    return res.redirect(303, '/organiser');
  }
}
