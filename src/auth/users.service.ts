import {
  HttpStatus,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { AppConfig } from '../config/app-config';
import { AuditLogService } from '../audit/audit-log.service';
import { lockTableForWriting } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { RegisterForm } from './dto/register.form';
import { hashPassword, passwordMatches } from './passwords/password-hash';
import { AccountSession } from './entities/account-session.entity';
import { Membership } from './entities/membership.entity';
import { Organisation } from './entities/organisation.entity';
import {
  currentOrganisationOf,
  withCurrentOrganisation,
} from './organisations/current-organisation';
import { Role, User } from './entities/user.entity';
import type { CurrentOrganisation, SessionUser } from './session-user';

export class EmailTakenError extends InvalidFieldError {
  constructor() {
    super('email', 'An account with this email already exists.', HttpStatus.CONFLICT);
  }
}

export interface UserListItem extends SessionUser {
  createdAt: Date;
  /** When an admin approved the account; null: waiting (see site_settings.organiser_approval). */
  approvedAt: Date | null;
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);
  /** Verified against when the email is unknown, so a login takes as long either way. */
  private readonly unknownUserHash = hashPassword('no such user');

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly auditLog: AuditLogService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin)
      await this.ensureAdmin(this.config.admin.email, this.config.admin.password);
  }

  /** The first account on an empty database becomes the admin. */
  async register(form: RegisterForm): Promise<SessionUser> {
    const passwordHash = await hashPassword(form.password);
    return this.transactions.run(async (manager) => {
      await lockTableForWriting(manager, 'users');
      if (await manager.existsBy(User, { email: form.email })) throw new EmailTakenError();
      const role: Role = (await manager.count(User)) === 0 ? 'admin' : 'organiser';
      const user = await manager.save(
        manager.create(User, {
          email: form.email,
          passwordHash,
          displayName: form.displayName,
          role,
        }),
      );
      const organisation = await foundOrganisation(manager, user);
      await this.auditLog.record(
        manager,
        toSessionUser(user),
        'user.registered',
        userSubject(user),
        role,
      );
      return { ...toSessionUser(user), organisation };
    });
  }

  async verifyCredentials(email: string, password: string): Promise<SessionUser | undefined> {
    // No stored email holds a NUL, and PostgreSQL refuses to compare text containing one.
    const user = email.includes('\0')
      ? null
      : await this.users
          .createQueryBuilder('user')
          .addSelect('user.passwordHash')
          .where('user.email = :email', { email: email.trim().toLowerCase() })
          .getOne();
    const hash = user?.passwordHash ?? (await this.unknownUserHash);
    const matches = await passwordMatches(hash, password);
    return user && matches ? toSessionUser(user) : undefined;
  }

  async findSessionUser(id: number): Promise<SessionUser | undefined> {
    const query = this.users.createQueryBuilder('user').where('user.id = :id', { id });
    const { entities, raw } = await withCurrentOrganisation(query, 'NULL').getRawAndEntities();
    return entities[0] ? toSessionUser(entities[0], raw[0]) : undefined;
  }

  /** The user of a session, while its login has not been ended (one query a request). */
  async findLoggedInUser(
    id: number,
    loginKey: string,
  ): Promise<(SessionUser & { loginKey: string }) | undefined> {
    const query = this.users
      .createQueryBuilder('user')
      .innerJoin(
        AccountSession,
        'login',
        'login.user_id = user.id AND login.login_key = :loginKey AND login.ended_at IS NULL',
        { loginKey },
      )
      .where('user.id = :id', { id });
    const { entities, raw } = await withCurrentOrganisation(
      query,
      'login.organisation_id',
    ).getRawAndEntities();
    return entities[0] ? { ...toSessionUser(entities[0], raw[0]), loginKey } : undefined;
  }

  /** Every account, oldest first (never a password hash). */
  async list(): Promise<UserListItem[]> {
    const users = await this.users.find({ order: { id: 'ASC' } });
    return users.map((user) => ({
      ...toSessionUser(user),
      createdAt: user.createdAt,
      approvedAt: user.approvedAt,
    }));
  }

  /** Whether an admin has approved this account (admins need no approval). */
  async isApproved(user: SessionUser): Promise<boolean> {
    if (user.role === 'admin') return true;
    return this.users.existsBy({ id: user.id, approvedAt: Not(IsNull()) });
  }

  /** Approves an account waiting for it (once; approving it again changes nothing). 404 for none. */
  async approve(admin: SessionUser, id: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const user = await manager.findOneBy(User, { id });
      if (!user) throw new NotFoundException('No such account.');
      const { affected } = await manager.update(
        User,
        { id, approvedAt: IsNull() },
        { approvedAt: new Date() },
      );
      if (affected) await this.auditLog.record(manager, admin, 'user.approved', userSubject(user));
    });
  }

  /** Counts every account as approved (in the caller's transaction): approval then applies to new ones. */
  async approveEveryone(manager: EntityManager): Promise<void> {
    await manager.update(User, { approvedAt: IsNull() }, { approvedAt: new Date() });
  }

  /** ADMIN_EMAIL/ADMIN_PASSWORD at start-up: create that admin, or promote the existing account (its password is kept). */
  async ensureAdmin(email: string, password: string): Promise<void> {
    const normalized = email.trim().toLowerCase();
    const passwordHash = await hashPassword(password);
    await this.transactions.run(async (manager) => {
      await lockTableForWriting(manager, 'users');
      const existing = await manager.findOneBy(User, { email: normalized });
      if (existing) {
        if (existing.role !== 'admin') {
          await manager.update(User, { id: existing.id }, { role: 'admin' });
          await this.auditLog.record(
            manager,
            'system',
            'user.promoted',
            userSubject(existing),
            'admin',
          );
        }
      } else {
        const admin = await manager.save(
          manager.create(User, {
            email: normalized,
            passwordHash,
            displayName: 'Administrator',
            role: 'admin',
          }),
        );
        await foundOrganisation(manager, admin);
        await this.auditLog.record(
          manager,
          'system',
          'user.registered',
          userSubject(admin),
          'admin',
        );
      }
    });
    this.logger.log(`admin account ready: ${normalized}`);
  }
}

function toSessionUser(user: User, organisationRow?: unknown): SessionUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    twoFactor: user.totpEnabledAt !== null,
    organisation: currentOrganisationOf(organisationRow),
  };
}

/** Every account has an organisation of its own from the start, which it owns (in the caller's transaction). */
async function foundOrganisation(manager: EntityManager, user: User): Promise<CurrentOrganisation> {
  const organisation = await manager.save(
    manager.create(Organisation, { name: user.displayName, founderId: user.id }),
  );
  await manager.insert(Membership, {
    organisationId: organisation.id,
    userId: user.id,
    role: 'owner',
  });
  return { id: organisation.id, name: organisation.name, role: 'owner' };
}

const userSubject = (user: { id: number; email: string }) => `user ${user.id} ${user.email}`;
