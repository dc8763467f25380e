import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokensController } from './api-tokens/api-tokens.controller';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { BearerAuthGuard } from './api-tokens/bearer-auth.guard';
import { AuthController } from './auth.controller';
import { ApiToken } from './entities/api-token.entity';
import { Session } from './entities/session.entity';
import { User } from './entities/user.entity';
import { LocalStrategy } from './local.strategy';
import { SessionSerializer } from './session/session.serializer';
import { SessionStoreProvider } from './session/session-store.provider';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, ApiToken, Session]),
    PassportModule.register({ session: true }),
  ],
  controllers: [AuthController, ApiTokensController],
  providers: [
    UsersService,
    LocalStrategy,
    SessionSerializer,
    SessionStoreProvider,
    ApiTokensService,
    BearerAuthGuard,
  ],
  exports: [UsersService, SessionStoreProvider, ApiTokensService, BearerAuthGuard],
})
export class AuthModule {}
