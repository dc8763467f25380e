import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormPage, FormView } from '../../common/forms/form-page';
import { FormBody } from '../../common/forms/form.pipe';
import { IdParam } from '../../common/http/id-param.decorator';
import { flash } from '../../common/views/flash';
import { CurrentUser } from '../guards/current-user.decorator';
import { Roles } from '../guards/roles.decorator';
import { RolesGuard } from '../guards/roles.guard';
import type { SessionUser } from '../session-user';
import { ApiTokensService } from './api-tokens.service';
import { ApiTokenForm } from './api-token.form';

@Controller('api-tokens')
@UseGuards(RolesGuard)
@Roles('admin')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @Render('auth/api-tokens')
  async list() {
    return { title: 'API tokens', tokens: await this.tokens.list(), values: {}, errors: {} };
  }

  /** Renders (rather than redirects) so the new token is shown exactly once and never stored in the session. */
  @Post()
  @FormPage('auth/api-tokens', 'listAgain')
  async create(
    @CurrentUser() user: SessionUser,
    @FormBody(ApiTokenForm) form: ApiTokenForm,
    @Res() res: Response,
  ) {
    const created = await this.tokens.create(user, form.name);
    return res.status(201).render('auth/api-tokens', {
      title: 'API tokens',
      tokens: await this.tokens.list(),
      created: { name: form.name, token: created.token },
      values: {},
      errors: {},
    });
  }

  listAgain: FormView = async (values, errors) => ({
    title: 'API tokens',
    tokens: await this.tokens.list(),
    values,
    errors,
  });

  @Post(':id/revoke')
  async revoke(
    @IdParam() id: number,
    @CurrentUser() admin: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.tokens.revoke(admin, id);
    flash(req, 'success', 'The token was revoked; it stops working at once.');
    return res.redirect(303, '/api-tokens');
  }
}
