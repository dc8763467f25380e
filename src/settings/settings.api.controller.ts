import { Body, Get, Put } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson } from '../common/http/api-responses';
import { SettingsChangesDto } from './dto/settings.form';
import { SettingsResponse } from './dto/settings.response';
import { SettingsService } from './settings.service';

@AdminApiController('settings')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiJson(200, SettingsResponse)
  get(): Promise<SettingsResponse> {
    return this.settings.get();
  }

  @Put()
  @ApiJson(200, SettingsResponse)
  update(
    @Body() body: SettingsChangesDto,
    @CurrentUser() admin: SessionUser,
  ): Promise<SettingsResponse> {
    return this.settings.update(admin, body);
  }
}
