import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AccountLinks } from '../auth/account/account-links';
import { InvalidLinkError } from '../auth/account/account-tokens.service';
import { AccountSession } from '../auth/entities/account-session.entity';
import { Membership, type MemberRole } from '../auth/entities/membership.entity';
import { Organisation } from '../auth/entities/organisation.entity';
import { User } from '../auth/entities/user.entity';
import type { CurrentOrganisation, SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { AppConfig } from '../config/app-config';
import { insertReturningId } from '../database/inserts';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Invitation } from './entities/invitation.entity';
import { organisationSubject, ROLE_DESCRIPTIONS } from './roles';

/** How long an invitation link works. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/** Invitations an organisation may have waiting at once: a team's worth, not a mailing list. */
export const PENDING_INVITATIONS_PER_ORGANISATION = 50;

const PURPOSE = 'invitation';

/** What the mail of an invitation says. */
export interface InvitationMail {
  /** The path and query of the link (the mail adds the site's address). */
  path: string;
  organisationName: string;
  role: MemberRole;
  roleDescription: string;
  invitedBy: string;
  expiresAt: Date;
}

/** What the page of a working invitation link shows before it is accepted. */
export interface InvitationOffer {
  organisationName: string;
  role: MemberRole;
  roleDescription: string;
  email: string;
  expiresAt: Date;
}

const pending = () => ({
  acceptedAt: IsNull(),
  revokedAt: IsNull(),
  expiresAt: MoreThan(new Date()),
});

/**
 * Invitations to join an organisation: mailed as a single-use link valid 7 days, which makes
 * whoever opens it (logged in) a member with the role it names, exactly once.
 */
@Injectable()
export class InvitationsService {
  private readonly links: AccountLinks;

  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
    config: AppConfig,
  ) {
    this.links = new AccountLinks(config.sessionSecret);
  }

  /** Invites `email` to the owner's organisation; the mail is queued in the same transaction. */
  async invite(owner: SessionUser, email: string, role: MemberRole): Promise<void> {
    const organisation = owner.organisation!;
    await this.transactions.run(async (manager) => {
      // Invitations of one organisation are counted and made one at a time.
      await lockRow(manager, Organisation, organisation.id, 'exclusive');
      if (await isMember(manager, organisation.id, email))
        throw new InvalidFieldError(
          'email',
          'This address belongs to a member already: change their role below instead.',
          HttpStatus.CONFLICT,
        );
      const waiting = await manager.countBy(Invitation, {
        organisationId: organisation.id,
        ...pending(),
      });
      if (waiting >= PENDING_INVITATIONS_PER_ORGANISATION)
        throw new InvalidFieldError(
          'email',
          `At most ${PENDING_INVITATIONS_PER_ORGANISATION} invitations can wait at once: revoke some first.`,
          HttpStatus.CONFLICT,
        );
      const invitationId = await insertReturningId(manager, Invitation, {
        organisationId: organisation.id,
        email,
        role,
        nonce: AccountLinks.newNonce(),
        invitedById: owner.id,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      });
      await this.auditLog.record(
        manager,
        owner,
        'team.invited',
        organisationSubject(organisation),
        `${email} as ${role}`,
      );
      await this.domainEvents.record(manager, {
        type: 'team.invitation_issued',
        invitationId,
        recipient: email,
      });
    });
  }

  /** The organisation's invitations still waiting, newest first. */
  pendingOf(organisationId: number): Promise<Invitation[]> {
    return this.invitations.find({
      where: { organisationId, ...pending() },
      order: { id: 'DESC' },
    });
  }

  /** Makes a waiting invitation's link stop working; 404 for one of another organisation or no longer waiting. */
  async revoke(owner: SessionUser, id: number): Promise<void> {
    const organisation = owner.organisation!;
    await this.transactions.run(async (manager) => {
      const { affected } = await manager.update(
        Invitation,
        { id, organisationId: organisation.id, ...pending() },
        { revokedAt: new Date() },
      );
      if (!affected) throw new NotFoundException('No such invitation.');
      await this.auditLog.record(
        manager,
        owner,
        'team.invitation-revoked',
        organisationSubject(organisation),
        `invitation ${id}`,
      );
    });
  }

  /** What a working link offers; undefined for one used, revoked, expired or made up. */
  async offer(token: unknown): Promise<InvitationOffer | undefined> {
    const found = await this.findIn(this.invitations.manager, token);
    if (!found) return undefined;
    const { invitation, organisation } = found;
    return {
      organisationName: organisation.name,
      role: invitation.role,
      roleDescription: ROLE_DESCRIPTIONS[invitation.role],
      email: invitation.email,
      expiresAt: invitation.expiresAt,
    };
  }

  /**
   * Makes the user a member with the invitation's role (a member already keeps their role) and
   * points this login at the organisation. The link is used up by a conditional UPDATE, so of
   * any number of people pressing "Join" with one link at once exactly one gets in.
   */
  async accept(user: Express.User, token: unknown): Promise<CurrentOrganisation> {
    return this.transactions.run(async (manager) => {
      const found = await this.findIn(manager, token);
      if (!found) throw new InvalidLinkError();
      const { invitation, organisation } = found;
      const { affected } = await manager.update(
        Invitation,
        { id: invitation.id, ...pending() },
        { acceptedAt: new Date() },
      );
      if (!affected) throw new InvalidLinkError();
      const existing = await manager.findOneBy(Membership, {
        organisationId: organisation.id,
        userId: user.id,
      });
      if (!existing) {
        // orIgnore: the same account accepting two invitations of one organisation at once.
        await manager
          .createQueryBuilder()
          .insert()
          .into(Membership)
          .values({ organisationId: organisation.id, userId: user.id, role: invitation.role })
          .orIgnore()
          .execute();
        await this.auditLog.record(
          manager,
          user,
          'team.joined',
          organisationSubject(organisation),
          `as ${invitation.role} (invited as ${invitation.email})`,
        );
      }
      const role = existing?.role ?? invitation.role;
      if (user.loginKey)
        await manager.update(
          AccountSession,
          { loginKey: user.loginKey },
          { organisationId: organisation.id },
        );
      return { id: organisation.id, name: organisation.name, role };
    });
  }

  /** The mail of a waiting invitation; undefined once it no longer works (nothing to send). */
  async mailFor(id: number): Promise<InvitationMail | undefined> {
    const invitation = await this.invitations
      .createQueryBuilder('invitation')
      .addSelect('invitation.nonce')
      .where('invitation.id = :id', { id })
      .getOne();
    if (!invitation || !isPending(invitation)) return undefined;
    const manager = this.invitations.manager;
    const organisation = await manager.findOneBy(Organisation, { id: invitation.organisationId });
    if (!organisation) return undefined;
    const inviter =
      invitation.invitedById === null
        ? null
        : await manager.findOneBy(User, { id: invitation.invitedById });
    return {
      path: `/invitations/accept?token=${encodeURIComponent(this.tokenFor(invitation))}`,
      organisationName: organisation.name,
      role: invitation.role,
      roleDescription: ROLE_DESCRIPTIONS[invitation.role],
      invitedBy: inviter?.displayName ?? organisation.name,
      expiresAt: invitation.expiresAt,
    };
  }

  private tokenFor(invitation: Invitation): string {
    return this.links.tokenFor({ id: invitation.id, purpose: PURPOSE, nonce: invitation.nonce });
  }

  private async findIn(
    manager: EntityManager,
    token: unknown,
  ): Promise<{ invitation: Invitation; organisation: Organisation } | undefined> {
    const id = AccountLinks.idOf(token);
    if (id === undefined) return undefined;
    const invitation = await manager
      .createQueryBuilder(Invitation, 'invitation')
      .addSelect('invitation.nonce')
      .where('invitation.id = :id', { id })
      .getOne();
    if (
      !invitation ||
      !isPending(invitation) ||
      !this.links.fits({ id, purpose: PURPOSE, nonce: invitation.nonce }, token as string)
    )
      return undefined;
    const organisation = await manager.findOneBy(Organisation, { id: invitation.organisationId });
    return organisation ? { invitation, organisation } : undefined;
  }
}

const isPending = (invitation: Invitation) =>
  invitation.acceptedAt === null &&
  invitation.revokedAt === null &&
  invitation.expiresAt > new Date();

async function isMember(
  manager: EntityManager,
  organisationId: number,
  email: string,
): Promise<boolean> {
  return manager
    .createQueryBuilder(Membership, 'membership')
    .innerJoin(User, 'member', 'member.id = membership.user_id')
    .where('membership.organisation_id = :organisationId AND member.email = :email', {
      organisationId,
      email,
    })
    .getExists();
}
