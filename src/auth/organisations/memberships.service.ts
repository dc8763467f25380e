import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccountSession } from '../entities/account-session.entity';
import { Membership, type MemberRole } from '../entities/membership.entity';
import { Organisation } from '../entities/organisation.entity';
import type { SessionUser } from '../session-user';
import { TransactionRunner } from '../../database/transaction-runner';

export interface OrganisationOfMember {
  id: number;
  name: string;
  role: MemberRole;
  /** The one the user works in now. */
  current: boolean;
}

/** The organisations an account belongs to, and which one each of its logins works in. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Oldest membership first. */
  async of(user: SessionUser): Promise<OrganisationOfMember[]> {
    const rows = await this.memberships
      .createQueryBuilder('membership')
      .innerJoin(Organisation, 'organisation', 'organisation.id = membership.organisation_id')
      .select('organisation.id', 'id')
      .addSelect('organisation.name', 'name')
      .addSelect('membership.role', 'role')
      .where('membership.user_id = :userId', { userId: user.id })
      .orderBy('membership.id')
      .getRawMany<{ id: number | string; name: string; role: MemberRole }>();
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      current: Number(row.id) === user.organisation?.id,
    }));
  }

  /** An owner of the organisation (the longest-standing), to act for it when no one is at hand. */
  async ownerOf(organisationId: number): Promise<number | undefined> {
    const owner = await this.memberships.findOne({
      where: { organisationId, role: 'owner' },
      order: { id: 'ASC' },
    });
    return owner?.userId;
  }

  /** This login works in `organisationId` from its next request on; 404 unless a member of it. */
  async switchTo(user: Express.User, organisationId: number): Promise<void> {
    if (!user.loginKey) throw new NotFoundException('No such organisation.');
    const loginKey = user.loginKey;
    const { affected } = await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .update(AccountSession)
        .set({ organisationId })
        .where('login_key = :loginKey', { loginKey })
        .andWhere(
          'EXISTS (SELECT 1 FROM memberships WHERE memberships.user_id = :userId AND memberships.organisation_id = :organisationId)',
          { userId: user.id, organisationId },
        )
        .execute(),
    );
    if (!affected) throw new NotFoundException('No such organisation.');
  }
}
