import { AuditLogService } from '../../audit/audit-log.service';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { TransactionRunner } from '../../database/transaction-runner';
import { ApiToken } from '../entities/api-token.entity';
import { User } from '../entities/user.entity';
import type { SessionUser } from '../session-user';
import {
  currentOrganisationOf,
  withCurrentOrganisation,
} from '../organisations/current-organisation';

/** Writing last_used_at on every request would make each API read a write: once a minute is enough to tell. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenListItem {
  id: number;
  name: string;
  tokenPrefix: string;
  ownerEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
  ) {}

  /** Returns the token itself: this is the only time it exists outside its hash. */
  async create(owner: SessionUser, name: string): Promise<{ token: string; id: number }> {
    const token = `bo_${randomBytes(32).toString('base64url')}`;
    const id = await this.transactions.run(async (manager) => {
      const result = await manager.insert(ApiToken, {
        name,
        tokenHash: hashOf(token),
        tokenPrefix: token.slice(0, 10),
        userId: owner.id,
        lastUsedAt: null,
        revokedAt: null,
      });
      const id = Number(result.identifiers[0].id);
      await this.auditLog.record(manager, owner, 'api-token.created', tokenSubject(id, name));
      return id;
    });
    return { token, id };
  }

  async list(): Promise<ApiTokenListItem[]> {
    const tokens = await this.tokens.find({ relations: { user: true }, order: { id: 'DESC' } });
    return tokens.map((token) => ({
      id: token.id,
      name: token.name,
      tokenPrefix: token.tokenPrefix,
      ownerEmail: token.user?.email ?? '',
      createdAt: token.createdAt,
      lastUsedAt: token.lastUsedAt,
      revokedAt: token.revokedAt,
    }));
  }

  async revoke(admin: SessionUser, id: number): Promise<void> {
    const revoked = await this.transactions.run(async (manager) => {
      const result = await manager.update(
        ApiToken,
        { id, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      if (result.affected) {
        const { name } = await manager.findOneByOrFail(ApiToken, { id });
        await this.auditLog.record(manager, admin, 'api-token.revoked', tokenSubject(id, name));
      }
      return result;
    });
    if (!revoked.affected && !(await this.tokens.existsBy({ id })))
      throw new NotFoundException('No such token.');
  }

  /** The owner of a live token, or undefined for an unknown or revoked one. */
  async authenticate(token: string): Promise<SessionUser | undefined> {
    // A query builder rather than findOne({ relations }), which spends a second query on this.
    const query = this.tokens
      .createQueryBuilder('token')
      .innerJoinAndSelect('token.user', 'user')
      .where('token.tokenHash = :hash AND token.revokedAt IS NULL', { hash: hashOf(token) });
    const { entities, raw } = await withCurrentOrganisation(query, 'NULL').getRawAndEntities();
    const row = entities[0];
    if (!row?.user) return undefined;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.transactions.run((manager) =>
        manager.update(ApiToken, { id: row.id }, { lastUsedAt: new Date() }),
      );
    }
    const user: User = row.user;
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      organisation: currentOrganisationOf(raw[0]),
    };
  }
}

const tokenSubject = (id: number, name: string) => `API token ${id} "${name}"`;
