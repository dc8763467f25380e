import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { insertWithoutReadBack } from '../database/inserts';
import { EntityManager, Repository } from 'typeorm';
import { AuditAction, AuditEntry } from './entities/audit-entry.entity';

/**
 * Who acted: a logged-in user (or a token's owner), an attendee holding their booking's
 * secret, or the app itself applying its start-up configuration (ADMIN_EMAIL).
 */
export type Actor = { id: number; email: string } | 'attendee' | 'system';

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

/**
 * The audit log. Entries are written in the transaction of the change they record,
 * so a change and its entry are committed (or rolled back) together.
 */
@Injectable()
export class AuditLogService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    subject: string,
    details = '',
  ): Promise<void> {
    await insertWithoutReadBack(manager, AuditEntry, {
      actorId: typeof actor === 'string' ? null : actor.id,
      actor: typeof actor === 'string' ? actor : actor.email,
      action,
      subject: subject.slice(0, 200),
      details: details.slice(0, 1000),
    });
  }

  /** Newest first. */
  async page(limit: number, offset: number): Promise<AuditPage> {
    const [entries, total] = await this.entries.findAndCount({
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { entries, total };
  }
}

/** How an event appears in the log. */
export const eventSubject = (event: { id: number; title: string }) =>
  `event ${event.id} "${event.title}"`;
