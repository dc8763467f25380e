import { AuditLogService } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { SiteSettings } from './entities/site-settings.entity';
import { SettingsForm } from './dto/settings.form';

export interface SiteSettingsView {
  name: string;
  description: string;
}

/** Other processes may change the settings too: this bounds how stale a cached copy can be. */
const CACHE_MS = 1000;

@Injectable()
export class SettingsService {
  private cached?: { value: SiteSettingsView; until: number };

  constructor(
    @InjectRepository(SiteSettings) private readonly repository: Repository<SiteSettings>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** Read on every page (for the header), so kept in memory briefly. */
  async get(): Promise<SiteSettingsView> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.value;
    const row = await this.repository.findOneByOrFail({ id: 1 });
    const value = { name: row.name, description: row.description };
    this.cached = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  async update(admin: SessionUser, form: SettingsForm): Promise<SiteSettingsView> {
    await this.transactions.run(async (manager) => {
      await manager.update(
        SiteSettings,
        { id: 1 },
        { name: form.name, description: form.description },
      );
      await this.auditLog.record(
        manager,
        admin,
        'settings.updated',
        'site settings',
        `name "${form.name}"`,
      );
      await this.domainEvents.record(manager, { type: 'settings.changed' });
    });
    this.cached = undefined;
    return this.get();
  }
}
