import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { AppConfig } from '../config/app-config';
import { PROJECT_ROOT } from '../project-root';
import { SettingsModule } from '../settings/settings.module';
import { TeamsModule } from '../teams/teams.module';
import { WaitingListModule } from '../waiting-list/waiting-list.module';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailSender } from './mail-sender';
import { MailSubscriber } from './mail.subscriber';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

/** The attendees' and account owners' mails: queued for each booking event (MailSubscriber), sent from the outbox (OutboxWorker). */
@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxMessage]),
    AuthModule,
    BookingsModule,
    SettingsModule,
    TeamsModule,
    WaitingListModule,
  ],
  providers: [
    OutboxService,
    OutboxWorker,
    MailSubscriber,
    {
      provide: MailSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new MailSender({
          viewsDir: join(PROJECT_ROOT, 'views'),
          publicUrl: config.publicUrl,
          from: config.mail.from,
          smtpUrl: config.mail.smtpUrl,
          outboxDir: config.mail.outboxDir,
        }),
    },
  ],
})
export class MailModule {}
