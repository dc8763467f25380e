import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Event } from '../events/entities/event.entity';
import { QueueEntry, type QueueEntryStatus } from './entities/queue-entry.entity';

export type QueueState = 'before' | 'admitting' | 'idle' | 'paused' | 'sold_out';

/** An event's queue as its organisers and the API see it (PRODUCT.md "Fair on-sale queue"). */
export interface QueueStatus {
  enabled: boolean;
  onSaleAt: string | null;
  admissionPerMinute: number;
  admissionMinutes: number;
  paused: boolean;
  state: QueueState;
  waiting: number;
  admitted: number;
  purchased: number;
  lapsed: number;
}

@Injectable()
export class QueueStatuses {
  constructor(@InjectRepository(QueueEntry) private readonly entries: Repository<QueueEntry>) {}

  /** Counts of the event's entries by status (one grouped read), and the state they make. */
  async of(event: Event, now = new Date()): Promise<QueueStatus> {
    const rows = await this.entries
      .createQueryBuilder('entry')
      .select('entry.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('entry.event_id = :eventId', { eventId: event.id })
      .groupBy('entry.status')
      .getRawMany<{ status: QueueEntryStatus; count: number | string }>();
    const count = (status: QueueEntryStatus) =>
      Number(rows.find((row) => row.status === status)?.count ?? 0);
    const waiting = count('waiting');
    return {
      enabled: event.queueEnabled,
      onSaleAt: event.onSaleAt?.toISOString() ?? null,
      admissionPerMinute: event.admissionPerMinute,
      admissionMinutes: event.admissionMinutes,
      paused: event.queuePaused,
      state: stateOf(event, now, waiting, count('sold_out')),
      waiting,
      admitted: count('admitted'),
      purchased: count('purchased'),
      lapsed: count('lapsed'),
    };
  }
}

function stateOf(event: Event, now: Date, waiting: number, soldOut: number): QueueState {
  if (!event.onSaleAt || now < event.onSaleAt) return 'before';
  if (event.queuePaused) return 'paused';
  if (soldOut > 0 && waiting === 0) return 'sold_out';
  return waiting > 0 ? 'admitting' : 'idle';
}
