import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Membership } from '../auth/entities/membership.entity';
import { AuthModule } from '../auth/auth.module';
import { Invitation } from './entities/invitation.entity';
import { InvitationController } from './invitation.controller';
import { InvitationsService } from './invitations.service';
import { TeamController } from './team.controller';
import { TeamService } from './team.service';

/** Organisations' teams: members and their roles, invitations, leaving, switching between organisations. */
@Module({
  imports: [TypeOrmModule.forFeature([Invitation, Membership]), AuthModule],
  controllers: [TeamController, InvitationController],
  providers: [TeamService, InvitationsService],
  exports: [InvitationsService],
})
export class TeamsModule {}
