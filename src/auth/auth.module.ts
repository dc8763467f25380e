import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
import { User } from './entities/user.entity';
import { LocalStrategy } from './local.strategy';
import { SessionSerializer } from './session/session.serializer';
import { SessionStoreProvider } from './session/session-store.provider';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PassportModule.register({ session: true })],
  controllers: [AuthController, UsersController],
  providers: [UsersService, LocalStrategy, SessionSerializer, SessionStoreProvider],
  exports: [UsersService, SessionStoreProvider],
})
export class AuthModule {}
