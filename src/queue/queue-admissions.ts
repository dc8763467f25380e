import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BackgroundTask } from '../common/background-task';
import { TransactionRunner } from '../database/transaction-runner';
import { Event } from '../events/entities/event.entity';
import { AdmissionClock, STEP_MS } from './admission-clock';
import { QueueProofs } from './queue-proofs';

/** Used proofs are forgotten this often (they are refused as expired anyway). */
const PURGE_EVERY_MS = 60_000;

/**
 * Steps the admission clock of every open queue with someone in it, each second, on every
 * process: whichever process steps an event's clock first does it (AdmissionClock).
 */
@Injectable()
export class QueueAdmissions extends BackgroundTask {
  private nextPurgeAt = 0;

  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly clock: AdmissionClock,
    private readonly proofs: QueueProofs,
    private readonly transactions: TransactionRunner,
  ) {
    super('queue admissions', { delayMs: 0, pollMs: STEP_MS });
  }

  protected async pass(): Promise<number> {
    const now = new Date();
    const open = await this.events
      .createQueryBuilder('event')
      .where('event.queue_enabled = :on AND event.on_sale_at <= :now', { on: true, now })
      .andWhere(
        "EXISTS (SELECT 1 FROM queue_entries entry WHERE entry.event_id = event.id AND entry.status IN ('waiting', 'admitted'))",
      )
      .getMany();
    let admitted = 0;
    for (const event of open) admitted += await this.clock.step(event, now);
    if (now.getTime() >= this.nextPurgeAt) {
      this.nextPurgeAt = now.getTime() + PURGE_EVERY_MS;
      await this.transactions.run((manager) => this.proofs.forgetExpired(manager));
    }
    return admitted;
  }
}
