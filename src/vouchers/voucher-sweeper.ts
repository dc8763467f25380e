import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BackgroundTask } from '../common/background-task';
import { isPostgres } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Voucher } from './entities/voucher.entity';
import { releaseHold } from './voucher-holds';

const SWEEP_EVERY_MS = 5000;
const BATCH_SIZE = 100;

/** Reserving vouchers whose time is up but that may still hold tickets. */
const LAPSED =
  'voucher.reserves_capacity = :yes AND voucher.released_at IS NULL AND voucher.valid_until <= :now';

/**
 * Ends the holds of reserving vouchers once they lapse (`valid_until` passed): what they still
 * held goes back to the ticket type, for the waiting list or the public; every few seconds, on
 * every process. Each voucher is released under its row lock, by a conditional UPDATE, so once.
 */
@Injectable()
export class VoucherSweeper extends BackgroundTask {
  constructor(
    @InjectRepository(Voucher) private readonly vouchers: Repository<Voucher>,
    private readonly transactions: TransactionRunner,
    private readonly domainEvents: DomainEvents,
  ) {
    super('voucher sweep', { delayMs: 0, pollMs: SWEEP_EVERY_MS });
  }

  protected pass(): Promise<number> {
    return this.sweep();
  }

  /** Releases every lapsed voucher's hold; answers how many this call released. */
  async sweep(): Promise<number> {
    let released = 0;
    for (;;) {
      const done = await this.transactions.run(async (manager) => {
        const query = manager
          .createQueryBuilder(Voucher, 'voucher')
          .where(LAPSED, { yes: true, now: new Date() })
          .orderBy('voucher.id')
          .limit(BATCH_SIZE);
        if (isPostgres(manager)) query.setLock('pessimistic_write').setOnLocked('skip_locked');
        const lapsed = await query.getMany();
        for (const voucher of lapsed) {
          await releaseHold(manager, voucher);
          await this.domainEvents.record(manager, {
            type: 'voucher.lapsed',
            voucherId: voucher.id,
            eventId: voucher.eventId,
            ticketTypeId: voucher.ticketTypeId!,
          });
        }
        return lapsed.length;
      });
      released += done;
      if (done < BATCH_SIZE || this.background.isStopped) return released;
    }
  }
}
