import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../domain-events/domain-events.service';
import { seatEveryDate } from './date-seats';

/** A seated event's new dates get every seat, free, in the transaction that adds them. */
@Injectable()
export class SeatedDates implements OnModuleInit {
  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction(['event.changed'], (manager, { eventId }) =>
      seatEveryDate(manager, eventId),
    );
  }
}
