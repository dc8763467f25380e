import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { Membership, type MemberRole } from '../auth/entities/membership.entity';
import { Organisation } from '../auth/entities/organisation.entity';
import { User } from '../auth/entities/user.entity';
import type { CurrentOrganisation, SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { organisationSubject } from './roles';

export interface Member {
  membershipId: number;
  userId: number;
  displayName: string;
  email: string;
  role: MemberRole;
  since: Date;
}

/** Refused at `member` (the team page shows it above its forms), 409. */
class LastOwnerError extends InvalidFieldError {
  constructor() {
    super(
      'member',
      'An organisation needs an owner: make someone else an owner first, then try again.',
      HttpStatus.CONFLICT,
    );
  }
}

/**
 * An organisation's members: listed, their roles changed, removed, leaving. Every change takes
 * the organisation's row first, so two owners demoting each other at once leave one owner.
 */
@Injectable()
export class TeamService {
  constructor(
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
  ) {}

  /** The members of the organisation, owners first, then by when they joined. */
  async members(organisationId: number): Promise<Member[]> {
    const rows = await this.memberships
      .createQueryBuilder('membership')
      .innerJoin(User, 'member', 'member.id = membership.user_id')
      .select('membership.id', 'membershipId')
      .addSelect('member.id', 'userId')
      .addSelect('member.display_name', 'displayName')
      .addSelect('member.email', 'email')
      .addSelect('membership.role', 'role')
      .addSelect('membership.created_at', 'since')
      .where('membership.organisation_id = :organisationId', { organisationId })
      .orderBy("CASE membership.role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END")
      .addOrderBy('membership.id')
      .getRawMany<Member & { since: Date | string }>();
    return rows.map((row) => ({
      ...row,
      membershipId: Number(row.membershipId),
      userId: Number(row.userId),
      since: new Date(row.since),
    }));
  }

  async rename(owner: SessionUser, name: string): Promise<void> {
    const organisation = owner.organisation!;
    await this.transactions.run(async (manager) => {
      await manager.update(Organisation, { id: organisation.id }, { name });
      await this.auditLog.record(
        manager,
        owner,
        'team.renamed',
        organisationSubject({ id: organisation.id, name }),
        `was "${organisation.name}"`,
      );
    });
  }

  async changeRole(owner: SessionUser, membershipId: number, role: MemberRole): Promise<void> {
    await this.changeMember(owner.organisation!, { id: membershipId }, async (manager, member) => {
      if (member.role === role) return;
      if (member.role === 'owner') await assertAnotherOwner(manager, member);
      await manager.update(Membership, { id: member.id }, { role });
      await this.auditLog.record(
        manager,
        owner,
        'team.role-changed',
        organisationSubject(owner.organisation!),
        `${await emailOf(manager, member)}: ${member.role} → ${role}`,
      );
    });
  }

  async remove(owner: SessionUser, membershipId: number): Promise<void> {
    await this.changeMember(owner.organisation!, { id: membershipId }, async (manager, member) => {
      if (member.role === 'owner') await assertAnotherOwner(manager, member);
      await manager.delete(Membership, { id: member.id });
      await this.auditLog.record(
        manager,
        owner,
        'team.removed',
        organisationSubject(owner.organisation!),
        `${await emailOf(manager, member)} (${member.role})`,
      );
    });
  }

  /** The user leaves the organisation they work in (not as its last owner). */
  async leave(user: SessionUser): Promise<CurrentOrganisation> {
    const organisation = user.organisation;
    if (!organisation) throw new NotFoundException('No such organisation.');
    await this.changeMember(organisation, { userId: user.id }, async (manager, member) => {
      if (member.role === 'owner') await assertAnotherOwner(manager, member);
      await manager.delete(Membership, { id: member.id });
      await this.auditLog.record(
        manager,
        user,
        'team.left',
        organisationSubject(organisation),
        member.role,
      );
    });
    return organisation;
  }

  /** Runs `change` on a member of the organisation, its row locked first; 404 for anyone else. */
  private async changeMember(
    organisation: CurrentOrganisation,
    which: { id: number } | { userId: number },
    change: (manager: EntityManager, member: Membership) => Promise<void>,
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      await lockRow(manager, Organisation, organisation.id, 'exclusive');
      const member = await manager.findOneBy(Membership, {
        ...which,
        organisationId: organisation.id,
      });
      if (!member) throw new NotFoundException('No such member.');
      await change(manager, member);
    });
  }
}

async function assertAnotherOwner(manager: EntityManager, owner: Membership): Promise<void> {
  const owners = await manager.countBy(Membership, {
    organisationId: owner.organisationId,
    role: 'owner',
  });
  if (owners <= 1) throw new LastOwnerError();
}

async function emailOf(manager: EntityManager, member: Membership): Promise<string> {
  return (await manager.findOneBy(User, { id: member.userId }))?.email ?? `user ${member.userId}`;
}
