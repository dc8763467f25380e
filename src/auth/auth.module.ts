import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokensController } from './api-tokens/api-tokens.controller';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { BearerAuthGuard } from './api-tokens/bearer-auth.guard';
import { AuthController } from './auth.controller';
import { ApiToken } from './entities/api-token.entity';
import { AccountSession } from './entities/account-session.entity';
import { AccountToken } from './entities/account-token.entity';
import { Session } from './entities/session.entity';
import { User } from './entities/user.entity';
import { Membership } from './entities/membership.entity';
import { Organisation } from './entities/organisation.entity';
import { LocalStrategy } from './local.strategy';
import { SessionSerializer } from './session/session.serializer';
import { AccountSessions } from './session/account-sessions.service';
import { SessionStoreProvider } from './session/session-store.provider';
import { AccountController } from './account/account.controller';
import { AccountService } from './account/account.service';
import { AccountPage } from './account-page';
import { RecoveryCode } from './entities/recovery-code.entity';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { TwoFactorService } from './two-factor/two-factor.service';
import { AccountTokensService } from './account/account-tokens.service';
import { PasswordResetController } from './account/password-reset.controller';
import { UsersService } from './users.service';
import { MembershipsService } from './organisations/memberships.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      User,
      ApiToken,
      Session,
      AccountSession,
      AccountToken,
      RecoveryCode,
      Organisation,
      Membership,
    ]),
    PassportModule.register({ session: true }),
  ],
  controllers: [
    AuthController,
    PasswordResetController,
    AccountController,
    TwoFactorController,
    ApiTokensController,
  ],
  providers: [
    UsersService,
    MembershipsService,
    LocalStrategy,
    SessionSerializer,
    SessionStoreProvider,
    AccountSessions,
    AccountTokensService,
    AccountService,
    AccountPage,
    TwoFactorService,
    ApiTokensService,
    BearerAuthGuard,
  ],
  exports: [
    UsersService,
    MembershipsService,
    SessionStoreProvider,
    AccountTokensService,
    ApiTokensService,
    BearerAuthGuard,
  ],
})
export class AuthModule {}
