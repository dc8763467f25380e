import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/guards/roles.decorator';
import { RolesGuard } from '../auth/guards/roles.guard';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { flash } from '../common/views/flash';
import { SettingsForm } from './dto/settings.form';
import { SettingsService } from './settings.service';

@Controller()
@UseGuards(RolesGuard)
@Roles('admin')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('site-settings')
  @Render('settings/edit')
  async edit() {
    const settings = await this.settings.get();
    const values = { ...settings, onSitePayment: settings.onSitePayment ? 'on' : 'off' };
    return { title: 'Site settings', values, errors: {} };
  }

  @Post('update-settings')
  @FormPage('settings/edit', 'editAgain')
  async update(
    @FormBody(SettingsForm) form: SettingsForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.settings.update(req.user!, form.toSettings());
    flash(req, 'success', 'Settings saved.');
    return res.redirect(303, '/site-settings');
  }

  editAgain: FormView = (values, errors) => ({ title: 'Site settings', values, errors });
}
