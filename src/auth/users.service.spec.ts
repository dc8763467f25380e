import { startTestServices, TestServices, uniqueEmail } from '../../test/support/test-app';
import * as argon2 from 'argon2';
import type { RegisterForm } from './dto/register.form';
import { EmailTakenError, UsersService } from './users.service';

const PASSWORD = 'correct horse battery';

/** UsersService against a real temporary SQLite database (the app's own, migrations applied). */
describe('UsersService', () => {
  let services: TestServices;
  let users: UsersService;

  beforeAll(async () => {
    services = await startTestServices();
    users = services.app.get(UsersService);
  });
  afterAll(() => services.close());

  const form = (email: string, password = PASSWORD, displayName = 'Una Unit'): RegisterForm => ({
    email,
    password,
    displayName,
  });

  const row = async (email: string) =>
    (
      await services.sql<
        { id: number; role: string; password_hash: string; display_name: string }[]
      >('SELECT id, role, password_hash, display_name FROM users WHERE email = ?', [email])
    )[0];

  const userCount = async () =>
    Number((await services.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM users'))[0].n);

  describe('register', () => {
    // Runs first, on the empty database.
    it('makes the first user on an empty database an admin and the next one an organiser', async () => {
      expect(await userCount()).toBe(0);
      const first = await users.register(form(uniqueEmail('first')));
      const second = await users.register(form(uniqueEmail('second')));
      expect(first.role).toBe('admin');
      expect(second.role).toBe('organiser');
    });

    it('returns the session user without the password hash, owner of an organisation of its own', async () => {
      const email = uniqueEmail('lean');
      const user = await users.register(form(email, PASSWORD, 'Lee Lean'));
      expect(user).toEqual({
        id: expect.any(Number),
        email,
        displayName: 'Lee Lean',
        role: 'organiser',
        twoFactor: false,
        organisation: { id: expect.any(Number), name: 'Lee Lean', role: 'owner' },
      });
    });

    it('stores an argon2id hash of the password', async () => {
      const email = uniqueEmail('hash');
      await users.register(form(email));
      const { password_hash } = await row(email);
      expect(password_hash).toMatch(/^\$argon2id\$/);
      expect(await argon2.verify(password_hash, PASSWORD)).toBe(true);
    });

    it('refuses a second account with the same email with EmailTakenError', async () => {
      const email = uniqueEmail('dup');
      await users.register(form(email));
      const before = await userCount();
      await expect(users.register(form(email))).rejects.toBeInstanceOf(EmailTakenError);
      expect(await userCount()).toBe(before);
    });

    it('gives exactly one of two simultaneous registrations of one email the account', async () => {
      const email = uniqueEmail('race');
      const results = await Promise.allSettled([
        users.register(form(email)),
        users.register(form(email)),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((result) => result.status === 'rejected');
      expect(refused.reason).toBeInstanceOf(EmailTakenError);
    });
  });

  describe('verifyCredentials', () => {
    let email: string;

    beforeAll(async () => {
      email = uniqueEmail('verify');
      await users.register(form(email, PASSWORD, 'Vera Verify'));
    });

    it('returns the user for the right password', async () => {
      const user = await users.verifyCredentials(email, PASSWORD);
      expect(user).toMatchObject({ email, displayName: 'Vera Verify', role: 'organiser' });
      expect(user).not.toHaveProperty('passwordHash');
    });

    it('returns undefined for a wrong password', async () => {
      expect(await users.verifyCredentials(email, 'wrong password')).toBeUndefined();
    });

    it('returns undefined for an unknown email', async () => {
      expect(await users.verifyCredentials(uniqueEmail('unknown'), PASSWORD)).toBeUndefined();
    });

    it('returns undefined for an empty password', async () => {
      expect(await users.verifyCredentials(email, '')).toBeUndefined();
    });

    it('matches the email whatever its letter case and surrounding spaces', async () => {
      const user = await users.verifyCredentials(`  ${email.toUpperCase()} `, PASSWORD);
      expect(user?.email).toBe(email);
    });

    it('is case-sensitive about the password', async () => {
      expect(await users.verifyCredentials(email, PASSWORD.toUpperCase())).toBeUndefined();
    });
  });

  describe('findSessionUser', () => {
    it('loads the lean user by id', async () => {
      const email = uniqueEmail('session');
      const { id, organisation } = await users.register(form(email));
      expect(await users.findSessionUser(id)).toEqual({
        id,
        email,
        displayName: 'Una Unit',
        role: 'organiser',
        twoFactor: false,
        organisation,
      });
    });

    it('returns undefined for an unknown id', async () => {
      expect(await users.findSessionUser(987_654)).toBeUndefined();
    });
  });

  describe('list', () => {
    it('lists every user, oldest first, with no password hash', async () => {
      const list = await users.list();
      expect(list).toHaveLength(await userCount());
      expect(list.map((user) => user.id)).toEqual(
        [...list.map((user) => user.id)].sort((a, b) => a - b),
      );
      for (const user of list) {
        expect(user).not.toHaveProperty('passwordHash');
        expect(JSON.stringify(user)).not.toContain('$argon2');
      }
    });
  });

  describe('ensureAdmin', () => {
    it('creates an admin account when the email is new', async () => {
      const email = uniqueEmail('created-admin');
      await users.ensureAdmin(email, 'admin password 1');
      const created = await row(email);
      expect(created.role).toBe('admin');
      expect(await users.verifyCredentials(email, 'admin password 1')).toMatchObject({
        role: 'admin',
      });
    });

    it('stores a new admin email lower-case and trimmed', async () => {
      const email = uniqueEmail('shouty-admin');
      await users.ensureAdmin(`  ${email.toUpperCase()}  `, 'admin password 1');
      expect((await row(email))?.role).toBe('admin');
    });

    it('promotes an existing organiser to admin', async () => {
      const email = uniqueEmail('promote');
      await users.register(form(email));
      expect((await row(email)).role).toBe('organiser');
      await users.ensureAdmin(email.toUpperCase(), 'another password');
      expect((await row(email)).role).toBe('admin');
    });

    it('keeps the existing password (and hash) when it promotes', async () => {
      const email = uniqueEmail('keep-password');
      await users.register(form(email));
      const before = await row(email);
      await users.ensureAdmin(email, 'another password');
      const after = await row(email);
      expect(after.password_hash).toBe(before.password_hash);
      expect(await users.verifyCredentials(email, PASSWORD)).toBeDefined();
      expect(await users.verifyCredentials(email, 'another password')).toBeUndefined();
    });

    it('is idempotent: running it twice leaves one admin account', async () => {
      const email = uniqueEmail('twice');
      await users.ensureAdmin(email, 'admin password 1');
      const before = await userCount();
      await users.ensureAdmin(email, 'admin password 1');
      expect(await userCount()).toBe(before);
      expect(await services.sql('SELECT id FROM users WHERE email = ?', [email])).toHaveLength(1);
    });
  });
});
