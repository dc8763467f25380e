import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../domain-events/domain-events.service';
import { moveStock } from '../events/date-stock';
import { WaitingListEntry } from './entities/waiting-list-entry.entity';

/** Nobody waits for a cancelled date: its waiting entries lapse, in the cancel's transaction. */
@Injectable()
export class CancelledDateEntries implements OnModuleInit {
  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction(['date.cancelled'], async (manager, { dateId }) => {
      const waiting = await manager.find(WaitingListEntry, {
        where: { dateId, status: 'waiting' },
        order: { ticketTypeId: 'ASC', id: 'ASC' },
      });
      for (const entry of waiting) {
        const lapsed = await manager.update(
          WaitingListEntry,
          { id: entry.id, status: 'waiting' },
          { status: 'lapsed' },
        );
        if (lapsed.affected) await moveStock(manager, entry, { waiting: -1 });
      }
    });
  }
}
