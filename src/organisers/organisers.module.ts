import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { OrganisersApiController } from './organisers.api.controller';
import { OrganisersController } from './organisers.controller';
import { OrganisersService } from './organisers.service';

/** Accounts with their events counted, for admins: above auth and events, which know nothing of each other. */
@Module({
  imports: [AuthModule, EventsModule],
  controllers: [OrganisersController, OrganisersApiController],
  providers: [OrganisersService],
})
export class OrganisersModule {}
