import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { BookingsModule } from '../bookings/bookings.module';
import { templateRenderer } from '../common/views/handlebars-engine';
import { AppConfig } from '../config/app-config';
import { PROJECT_ROOT } from '../project-root';
import { SettingsModule } from '../settings/settings.module';
import { BookingMailComposer } from './booking-mail.composer';
import { MailTransport } from './mail-transport';
import { OutboxModule } from './outbox.module';
import { OutboxWorker } from './outbox.worker';

const viewsDir = join(PROJECT_ROOT, 'views');

/** Sends the mails queued in the outbox (see OutboxWorker). */
@Module({
  imports: [OutboxModule, BookingsModule, SettingsModule],
  providers: [
    OutboxWorker,
    {
      provide: BookingMailComposer,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new BookingMailComposer(templateRenderer(viewsDir), join(viewsDir, 'mail'), {
          publicUrl: config.publicUrl,
          from: config.mail.from,
        }),
    },
    {
      provide: MailTransport,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new MailTransport(config.mail),
    },
  ],
})
export class MailModule {}
