import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
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
  ) {}

  /** Read on every page (for the header), so kept in memory briefly. */
  async get(): Promise<SiteSettingsView> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.value;
    const row = await this.repository.findOneByOrFail({ id: 1 });
    const value = { name: row.name, description: row.description };
    this.cached = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  async update(form: SettingsForm): Promise<SiteSettingsView> {
    await this.transactions.run((manager) =>
      manager.update(SiteSettings, { id: 1 }, { name: form.name, description: form.description }),
    );
    this.cached = undefined;
    return this.get();
  }
}
