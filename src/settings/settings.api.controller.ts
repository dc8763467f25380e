import { Body, Get, Put } from '@nestjs/common';
import { ApiJson } from '../common/http/api-schemas';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { SettingsForm } from './dto/settings.form';
import { SettingsService } from './settings.service';

@AdminApiController('settings')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiJson(200, 'Settings')
  get() {
    return this.settings.get();
  }

  @Put()
  @ApiJson(200, 'Settings')
  update(@Body() body: SettingsForm, @CurrentUser() admin: SessionUser) {
    return this.settings.update(admin, body);
  }
}
