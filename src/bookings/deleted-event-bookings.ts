import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Booking } from './entities/booking.entity';

/**
 * An event is deleted only once none of its tickets is sold or held, so what bookings it has
 * left are cancelled ones: they go with it, in its transaction (their items and mails with them).
 */
@Injectable()
export class DeletedEventBookings implements OnModuleInit {
  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction(['event.deleted'], async (manager, { eventId }) => {
      await manager.delete(Booking, { eventId, status: 'cancelled' });
    });
  }
}
