import { Body, Get, Put } from '@nestjs/common';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { SettingsForm } from './dto/settings.form';
import { SettingsService } from './settings.service';

@AdminApiController('settings')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  get() {
    return this.settings.get();
  }

  @Put()
  update(@Body() body: SettingsForm) {
    return this.settings.update(body);
  }
}
