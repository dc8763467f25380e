import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Event } from '../events/entities/event.entity';
import { AdmissionClock } from './admission-clock';
import { QueueClock } from './entities/queue-clock.entity';
import { QueueEntry } from './entities/queue-entry.entity';
import { QueueProof } from './entities/queue-proof.entity';
import { QueueAdmissions } from './queue-admissions';
import { QueueAdmissionGuard } from './queue-admission.guard';
import { QueueController } from './queue.controller';
import { QueueApiController, QueueOrganiserController } from './queue-organiser.controller';
import { QueueStatuses } from './queue-status';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { QueueProofs } from './queue-proofs';
import { QueueService } from './queue.service';

/** The fair on-sale queue: a waiting room in front of an event's sale (PRODUCT.md "Fair on-sale queue"). */
@Module({
  imports: [
    TypeOrmModule.forFeature([QueueEntry, QueueClock, QueueProof, Event]),
    AuthModule,
    EventsModule,
  ],
  controllers: [QueueController, QueueOrganiserController, QueueApiController],
  providers: [
    QueueService,
    QueueStatuses,
    AdmissionClock,
    QueueProofs,
    QueueAdmissions,
    QueueAdmissionGuard,
  ],
  exports: [QueueService, QueueAdmissionGuard],
})
export class QueueModule {}
