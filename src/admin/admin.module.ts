import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { AuditLogController } from './audit-log.controller';
import { OrganisersApiController } from './organisers.api.controller';
import { OrganisersController } from './organisers.controller';
import { OrganisersService } from './organisers.service';

/**
 * The admins' overview pages: the accounts with their events counted (above auth and events,
 * which know nothing of each other) and the audit log.
 */
@Module({
  imports: [AuthModule, EventsModule],
  controllers: [OrganisersController, OrganisersApiController, AuditLogController],
  providers: [OrganisersService],
})
export class AdminModule {}
