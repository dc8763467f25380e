import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventDispatcher } from './domain-event.dispatcher';
import { DomainEvents } from './domain-events.service';
import { RecordedEvent } from './entities/recorded-event.entity';

/** Global: every module that changes something records what happened through DomainEvents. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RecordedEvent])],
  providers: [DomainEvents, DomainEventDispatcher],
  exports: [DomainEvents, DomainEventDispatcher],
})
export class DomainEventsModule {}
