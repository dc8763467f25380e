import { Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/guards/roles.decorator';
import { RolesGuard } from '../auth/guards/roles.guard';
import { Form, FormBody } from '../common/forms/form.pipe';
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
    return { title: 'Site settings', values: await this.settings.get(), errors: {} };
  }

  @Post('update-settings')
  async update(
    @FormBody(SettingsForm) form: Form<SettingsForm>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (!form.valid) {
      return res.status(422).render('settings/edit', {
        title: 'Site settings',
        values: form.values,
        errors: form.errors,
      });
    }
    await this.settings.update(req.user!, form.value);
    flash(req, 'success', 'Settings saved.');
    return res.redirect(303, '/site-settings');
  }
}
