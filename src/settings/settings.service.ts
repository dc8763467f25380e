import { AuditLogService } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { UsersService } from '../auth/users.service';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { SiteSettings } from './entities/site-settings.entity';
import { AppConfig } from '../config/app-config';
import { InvalidFieldError } from '../common/forms/invalid-field.error';

export interface SiteSettingsView {
  name: string;
  description: string;
  /** ISO 4217, e.g. EUR: every price is shown in it. */
  currency: string;
  /** Told to a buyer paying by transfer; empty when the site does not take transfers. */
  bankTransferInstructions: string;
  /** Days a booking to be paid by transfer is held (1–30). */
  bankTransferDays: number;
  /** Paying at the door is offered. */
  onSitePayment: boolean;
  /** New organisers' events are publishable only once an admin has approved the account. */
  organiserApproval: boolean;
  /** Administrators must use two-factor sign-in. */
  requireTwoFactorForAdmins: boolean;
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
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** Read on every page (for the header), so kept in memory briefly. */
  async get(): Promise<SiteSettingsView> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.value;
    const row = await this.repository.findOneByOrFail({ id: 1 });
    const value = {
      name: row.name,
      description: row.description,
      currency: row.currency,
      bankTransferInstructions: row.bankTransferInstructions,
      bankTransferDays: row.bankTransferDays,
      onSitePayment: Boolean(row.onSitePayment),
      organiserApproval: Boolean(row.organiserApproval),
      requireTwoFactorForAdmins: Boolean(row.requireTwoFactorForAdmins),
    };
    this.cached = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  /** Changes the settings named (one left out keeps its value). */
  async update(admin: SessionUser, given: Partial<SiteSettingsView>): Promise<SiteSettingsView> {
    const changes = Object.fromEntries(
      Object.entries(given).filter(([, value]) => value !== undefined),
    ) as Partial<SiteSettingsView>;
    if (Object.keys(changes).length === 0) return this.get();
    await this.transactions.run(async (manager) => {
      const before = await manager.findOneByOrFail(SiteSettings, { id: 1 });
      if (!this.config.stripe) assertSomeWayToPay({ ...before, ...changes });
      await manager.update(SiteSettings, { id: 1 }, changes);
      // Approval is asked of accounts made from now on; those there already may go on publishing.
      if (changes.organiserApproval && !before.organiserApproval) {
        await this.users.approveEveryone(manager);
      }
      await this.auditLog.record(
        manager,
        admin,
        'settings.updated',
        'site settings',
        Object.entries(changes)
          .map(([name, value]) => `${name} ${JSON.stringify(value)}`)
          .join(', '),
      );
      await this.domainEvents.record(manager, { type: 'settings.changed' });
    });
    this.cached = undefined;
    return this.get();
  }
}

/** A site that sells tickets without Stripe must take the money somehow: at the door, or by transfer. */
function assertSomeWayToPay(
  settings: Pick<SiteSettingsView, 'onSitePayment' | 'bankTransferInstructions'>,
) {
  if (!settings.onSitePayment && !settings.bankTransferInstructions) {
    throw new InvalidFieldError(
      'onSitePayment',
      'Offer at least one way to pay: at the door, or by bank transfer with its instructions.',
    );
  }
}
