import { Injectable, OnModuleInit } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Voucher } from './entities/voucher.entity';
import { releaseHold } from './voucher-holds';

/** A cancelled date's vouchers hold nothing more: what they held is let go in the cancel's transaction. */
@Injectable()
export class CancelledDateVouchers implements OnModuleInit {
  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.events.subscribeInTransaction(['date.cancelled'], async (manager, { dateId }) => {
      const holding = await manager.find(Voucher, {
        where: { dateId, releasedAt: IsNull() },
        order: { id: 'ASC' },
      });
      for (const voucher of holding) await releaseHold(manager, voucher);
    });
  }
}
