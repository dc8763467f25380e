import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { SiteSettings } from './entities/site-settings.entity';
import { SettingsApiController } from './settings.api.controller';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [TypeOrmModule.forFeature([SiteSettings]), AuthModule],
  controllers: [SettingsController, SettingsApiController],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
