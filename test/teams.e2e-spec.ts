import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { decodeQuotedPrintable } from './support/quoted-printable';
import {
  Browser,
  createEvent,
  register,
  startTestApp,
  TestApp,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';

const INVITATION = /\/invitations\/accept\?token=([1-9][0-9]*\.[A-Za-z0-9_-]{43})/;

/*
 * Teams (PRODUCT.md "Teams and accounts"): every account has an organisation of its own;
 * owners invite people by a mailed single-use link valid 7 days, change roles and remove
 * members; the last owner cannot leave; an account may belong to several and switch.
 */
describe('teams', () => {
  let testApp: TestApp;
  let outboxDir: string;
  let admin: Browser;

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'team-outbox-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    // The first account is the admin: the tests below are about organisers, but one.
    admin = testApp.browser();
    await register(admin, uniqueEmail('admin'), 'Ada Admin');
  });
  afterAll(async () => {
    await testApp.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const invitationMails = (recipient: string) =>
    readdirSync(outboxDir)
      .filter((name) => name.endsWith('-team.invitation.eml'))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')))
      .filter((text) => text.toLowerCase().includes(`to: ${recipient}`));
  const tokenMailedTo = async (recipient: string, count = 1) => {
    const mails = await eventually(
      () => (invitationMails(recipient).length >= count ? invitationMails(recipient) : undefined),
      `${count} invitation mail(s) to ${recipient}`,
    );
    return INVITATION.exec(mails[count - 1])![1];
  };

  const newOwner = async (name = 'Olive Owner') => {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail('owner'), name);
    return { browser, email };
  };
  const invite = (owner: Browser, email: string, role: string) =>
    owner.submit('/organiser/team/invitations', { email, role }, '/organiser/team');
  const accept = (browser: Browser, token: string) =>
    browser.submit('/invitations/accept', { token }, `/invitations/accept?token=${token}`);
  /** A new account that accepted an invitation of `owner` with `role`. */
  const member = async (owner: Browser, role: string) => {
    const browser = testApp.browser();
    const email = await register(browser, uniqueEmail(role));
    expect((await invite(owner, email, role)).status).toBe(303);
    const res = await accept(browser, await tokenMailedTo(email));
    expect(res.status).toBe(303);
    return { browser, email };
  };
  const membershipsOf = (email: string) =>
    testApp.sql<{ organisation: string; role: string }[]>(
      `SELECT organisations.name AS organisation, memberships.role FROM memberships
       JOIN users ON users.id = memberships.user_id
       JOIN organisations ON organisations.id = memberships.organisation_id
       WHERE users.email = ? ORDER BY memberships.id`,
      [email],
    );
  const membershipIdOf = async (email: string, organisation: string) =>
    (
      await testApp.sql<{ id: number }[]>(
        `SELECT memberships.id FROM memberships
         JOIN users ON users.id = memberships.user_id
         JOIN organisations ON organisations.id = memberships.organisation_id
         WHERE users.email = ? AND organisations.name = ?`,
        [email, organisation],
      )
    )[0].id;

  describe('an organisation of one’s own', () => {
    it('comes with every new account, owned by it, and holds the events it creates', async () => {
      const { browser, email } = await newOwner('Nova Nights');
      expect(await membershipsOf(email)).toEqual([{ organisation: 'Nova Nights', role: 'owner' }]);
      const eventId = await createEvent(testApp, browser, { title: 'Nova opening' });
      const [event] = await testApp.sql<{ organisation: string }[]>(
        `SELECT organisations.name AS organisation FROM events
         JOIN organisations ON organisations.id = events.organisation_id WHERE events.id = ?`,
        [eventId],
      );
      expect(event.organisation).toBe('Nova Nights');
      const dashboard = await browser.get('/organiser');
      expect(dashboard.text).toMatch(/data-organisation>Nova Nights</);
      expect(dashboard.text).toContain('href="/organiser/team"');
    });

    it('is renamed by its owner; a bad name is refused at the field with the value kept', async () => {
      const { browser, email } = await newOwner('Old Name');
      const bad = await browser.submit('/organiser/team/name', { name: '' }, '/organiser/team');
      expect(bad.status).toBe(422);
      expect(bad.text).toMatch(/id="name-error"/);
      const long = 'x'.repeat(101);
      const tooLong = await browser.submit(
        '/organiser/team/name',
        { name: long },
        '/organiser/team',
      );
      expect(tooLong.status).toBe(422);
      expect(tooLong.text).toContain(`value="${long}"`);
      const renamed = await browser.submit(
        '/organiser/team/name',
        { name: 'Harbour Hall' },
        '/organiser/team',
      );
      expect(renamed.status).toBe(303);
      expect(await membershipsOf(email)).toEqual([{ organisation: 'Harbour Hall', role: 'owner' }]);
    });
  });

  describe('invitations', () => {
    it('mail a link that lets the invitee create an account and join with the role it names', async () => {
      const { browser: owner } = await newOwner('Door Test Org');
      const eventId = await createEvent(testApp, owner, { title: 'Door night' });
      const volunteer = uniqueEmail('volunteer');
      const sent = await invite(owner, volunteer, 'door');
      expect(sent.status).toBe(303);
      const team = await owner.get('/organiser/team');
      expect(team.text).toContain(`data-invitation="${volunteer}"`);

      const token = await tokenMailedTo(volunteer);
      const mail = invitationMails(volunteer)[0];
      expect(mail).toMatch(/Subject: Join Door Test Org on /);
      expect(mail).toContain('door staff');

      const visitor = testApp.browser();
      const page = await visitor.get(`/invitations/accept?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Join Door Test Org');
      const next = encodeURIComponent(`/invitations/accept?token=${encodeURIComponent(token)}`);
      expect(page.text).toContain(`href="/register?next=${next}"`);
      expect(page.text).toContain(`href="/login?next=${next}"`);

      // Creating an account on the way comes back to the invitation.
      const form = await visitor.get(`/register?next=${next}`);
      expect(form.text).toContain('name="next"');
      const registered = await visitor.submit(
        '/register',
        {
          email: volunteer,
          password: 'correct horse battery',
          displayName: 'Vic Volunteer',
          next: decodeURIComponent(next),
        },
        '/register',
      );
      expect(registered.status).toBe(303);
      expect(registered.headers.location).toBe(decodeURIComponent(next));
      const joined = await accept(visitor, token);
      expect(joined.status).toBe(303);
      expect(joined.headers.location).toBe('/organiser');

      expect(await membershipsOf(volunteer)).toEqual([
        { organisation: 'Vic Volunteer', role: 'owner' },
        { organisation: 'Door Test Org', role: 'door' },
      ]);
      // Joining points this login at the organisation joined.
      const dashboard = await visitor.get('/organiser');
      expect(dashboard.text).toMatch(/data-organisation>Door Test Org</);
      expect(dashboard.text).toContain(`/organiser/events/${eventId}/check-in`);
      expect(dashboard.text).not.toContain(`/edit-event/${eventId}`);
      expect(dashboard.text).not.toMatch(/revenue|received/i);
      expect((await owner.get('/organiser/team')).text).toContain(`data-member="${volunteer}"`);
    });

    it('work once: used, revoked, expired, another invitation’s or made-up links join nobody', async () => {
      const { browser: owner } = await newOwner('Once Org');
      const first = testApp.browser();
      const firstEmail = await register(first, uniqueEmail('first'));
      await invite(owner, firstEmail, 'manager');
      const token = await tokenMailedTo(firstEmail);
      expect((await accept(first, token)).status).toBe(303);

      const second = testApp.browser();
      const secondEmail = await register(second, uniqueEmail('second'));
      const again = await accept(second, token);
      expect(again.status).toBe(400);
      expect(again.text).toContain('does not work');
      expect((await second.get(`/invitations/accept?token=${token}`)).status).toBe(400);

      const revokedEmail = uniqueEmail('revoked');
      await invite(owner, revokedEmail, 'door');
      const revokedToken = await tokenMailedTo(revokedEmail);
      const [{ id: revokedId }] = await testApp.sql<{ id: number }[]>(
        'SELECT id FROM invitations WHERE email = ?',
        [revokedEmail],
      );
      expect(
        (
          await owner.submit(
            `/organiser/team/invitations/${revokedId}/revoke`,
            {},
            '/organiser/team',
          )
        ).status,
      ).toBe(303);
      expect((await accept(second, revokedToken)).status).toBe(400);

      const expiredEmail = uniqueEmail('expired');
      await invite(owner, expiredEmail, 'door');
      const expiredToken = await tokenMailedTo(expiredEmail);
      await writeSql(testApp, 'UPDATE invitations SET expires_at = ? WHERE email = ?', [
        timestampParam(testApp, new Date(Date.now() - 1000)),
        expiredEmail,
      ]);
      expect((await accept(second, expiredToken)).status).toBe(400);

      const [id, mac] = token.split('.');
      for (const forged of [
        `${Number(id) + 1}.${mac}`,
        `${id}.${'A'.repeat(43)}`,
        'garbage',
        '',
        `${id}.${mac}x`,
      ]) {
        const res = await accept(second, forged);
        expect([400, 422]).toContain(res.status);
      }
      expect(await membershipsOf(secondEmail)).toHaveLength(1);
    });

    it('are refused at the field for bad input, members already and more than fifty waiting', async () => {
      const { browser: owner, email: ownerEmail } = await newOwner('Strict Org');
      for (const [email, role, field] of [
        ['not-an-address', 'door', 'email'],
        ['', 'door', 'email'],
        [`${'a'.repeat(250)}@example.com`, 'door', 'email'],
        ['ok@example.com', 'admin', 'role'],
        ['ok@example.com', '', 'role'],
      ]) {
        const res = await invite(owner, email, role);
        expect(res.status).toBe(422);
        expect(res.text).toMatch(new RegExp(`id="${field}-error"`));
        if (field === 'role' && email) expect(res.text).toContain(`value="${email}"`);
      }
      const already = await invite(owner, ownerEmail, 'manager');
      expect(already.status).toBe(409);
      expect(already.text).toContain('belongs to a member already');

      // 49 waiting, the 50th through the page, the 51st refused.
      const [{ id: organisationId }] = await testApp.sql<{ id: number }[]>(
        "SELECT id FROM organisations WHERE name = 'Strict Org'",
      );
      const nextWeek = timestampParam(testApp, new Date(Date.now() + 7 * 86_400_000));
      for (let n = 0; n < 49; n++)
        await writeSql(
          testApp,
          "INSERT INTO invitations (organisation_id, email, role, nonce, expires_at) VALUES (?, ?, 'door', 'n', ?)",
          [organisationId, `waiting-${n}@example.com`, nextWeek],
        );
      expect((await invite(owner, uniqueEmail('fiftieth'), 'door')).status).toBe(303);
      const full = await invite(owner, uniqueEmail('fifty-first'), 'door');
      expect(full.status).toBe(409);
      expect(full.text).toContain('At most 50 invitations');
    });

    it('a hundred accounts pressing Join with one link at once: exactly one joins', async () => {
      const { browser: owner } = await newOwner('Raced Org');
      const browsers: Browser[] = [];
      for (let i = 0; i < 100; i++) {
        const browser = testApp.browser();
        await register(browser, uniqueEmail('racer'));
        browsers.push(browser);
      }
      const target = uniqueEmail('shared-link');
      await invite(owner, target, 'manager');
      const token = await tokenMailedTo(target);
      const path = `/invitations/accept?token=${token}`;
      const csrf = await Promise.all(browsers.map((browser) => browser.csrfToken(path)));
      const answers = await Promise.all(
        browsers.map((browser, i) =>
          browser.post('/invitations/accept', { token, _csrf: csrf[i] }),
        ),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.filter((status) => status === 303)).toHaveLength(1);
      expect(statuses.filter((status) => status === 400)).toHaveLength(99);
      const [{ members }] = await testApp.sql<{ members: number }[]>(
        `SELECT COUNT(*) AS members FROM memberships JOIN organisations
         ON organisations.id = memberships.organisation_id WHERE organisations.name = 'Raced Org'`,
      );
      expect(Number(members)).toBe(2);
    });
  });

  describe('members', () => {
    it('change roles and are removed by owners; access follows at the next request', async () => {
      const { browser: owner, email: ownerEmail } = await newOwner('Roles Org');
      const eventId = await createEvent(testApp, owner, { title: 'Roles night' });
      const { browser: manager, email: managerEmail } = await member(owner, 'manager');
      expect((await manager.get(`/edit-event/${eventId}`)).status).toBe(200);

      const membershipId = await membershipIdOf(managerEmail, 'Roles Org');
      const demoted = await owner.submit(
        `/organiser/team/members/${membershipId}/role`,
        { role: 'door' },
        '/organiser/team',
      );
      expect(demoted.status).toBe(303);
      expect((await manager.get(`/edit-event/${eventId}`)).status).toBe(404);
      expect((await manager.get(`/organiser/events/${eventId}/check-in`)).status).toBe(200);

      const badRole = await owner.submit(
        `/organiser/team/members/${membershipId}/role`,
        { role: 'boss' },
        '/organiser/team',
      );
      expect(badRole.status).toBe(422);

      const removed = await owner.submit(
        `/organiser/team/members/${membershipId}/remove`,
        {},
        '/organiser/team',
      );
      expect(removed.status).toBe(303);
      expect((await manager.get(`/organiser/events/${eventId}/check-in`)).status).toBe(404);
      // Back in their own organisation, with nothing of Roles Org in sight.
      const dashboard = await manager.get('/organiser');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).not.toContain('Roles night');

      const log = await testApp.sql<{ action: string; details: string }[]>(
        `SELECT action, details FROM audit_log WHERE subject LIKE '%"Roles Org"' ORDER BY id`,
      );
      expect(log.map(({ action }) => action)).toEqual([
        'team.invited',
        'team.joined',
        'team.role-changed',
        'team.removed',
      ]);
      expect(log[2].details).toBe(`${managerEmail}: manager → door`);
      expect(ownerEmail).not.toBe(managerEmail);
    });

    it('of another organisation are not found', async () => {
      const { browser: owner } = await newOwner('Mine Org');
      const { email: strangerEmail } = await newOwner('Theirs Org');
      const theirs = await membershipIdOf(strangerEmail, 'Theirs Org');
      for (const path of [
        `/organiser/team/members/${theirs}/role`,
        `/organiser/team/members/${theirs}/remove`,
      ]) {
        const res = await owner.submit(path, { role: 'door' }, '/organiser/team');
        expect(res.status).toBe(404);
      }
      expect(await membershipsOf(strangerEmail)).toEqual([
        { organisation: 'Theirs Org', role: 'owner' },
      ]);
    });

    it('keep an owner: the last one cannot leave, be removed or step down', async () => {
      const { browser: owner, email: ownerEmail } = await newOwner('Solo Org');
      const own = await membershipIdOf(ownerEmail, 'Solo Org');
      for (const [path, fields] of [
        ['/organiser/team/leave', {}],
        [`/organiser/team/members/${own}/remove`, {}],
        [`/organiser/team/members/${own}/role`, { role: 'manager' }],
      ] as const) {
        const res = await owner.submit(path, fields, '/organiser/team');
        expect(res.status).toBe(409);
        expect(res.text).toContain('An organisation needs an owner');
      }
      expect(await membershipsOf(ownerEmail)).toEqual([
        { organisation: 'Solo Org', role: 'owner' },
      ]);

      const { browser: second, email: secondEmail } = await member(owner, 'owner');
      const left = await owner.submit('/organiser/team/leave', {}, '/organiser/team');
      expect(left.status).toBe(303);
      expect(await membershipsOf(ownerEmail)).toEqual([]);
      // The owner left has no organisation: a dashboard that says so, and nothing to create in.
      const dashboard = await owner.get('/organiser');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('not a member of any organisation');
      expect((await owner.get('/create-event')).status).toBe(404);
      expect((await second.get('/organiser/team')).text).toContain(`data-member="${secondEmail}"`);
    });

    it('an admin who left every organisation gets 404 on organisation pages, and still the dashboard', async () => {
      const { browser: owner } = await member(admin, 'owner');
      const left = await admin.submit('/organiser/team/leave', {}, '/organiser/team');
      expect(left.status).toBe(303);
      for (const path of ['/organiser/team', '/organiser/webhooks', '/create-event'])
        expect([path, (await admin.get(path)).status]).toEqual([path, 404]);
      expect((await admin.get('/organiser')).status).toBe(200);
      expect((await owner.get('/organiser/team')).status).toBe(200);
    });

    it('two owners stepping each other down at once leave one owner', async () => {
      const { browser: first, email: firstEmail } = await newOwner('Duel Org');
      const { browser: second, email: secondEmail } = await member(first, 'owner');
      const firstId = await membershipIdOf(firstEmail, 'Duel Org');
      const secondId = await membershipIdOf(secondEmail, 'Duel Org');
      const [csrfFirst, csrfSecond] = await Promise.all([
        first.csrfToken('/organiser/team'),
        second.csrfToken('/organiser/team'),
      ]);
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 === 0
            ? first.post(`/organiser/team/members/${secondId}/role`, {
                role: 'door',
                _csrf: csrfFirst,
              })
            : second.post(`/organiser/team/members/${firstId}/remove`, { _csrf: csrfSecond }),
        ),
      );
      expect(answers.every((res) => res.status < 500)).toBe(true);
      const [{ owners }] = await testApp.sql<{ owners: number }[]>(
        `SELECT COUNT(*) AS owners FROM memberships JOIN organisations
         ON organisations.id = memberships.organisation_id
         WHERE organisations.name = 'Duel Org' AND memberships.role = 'owner'`,
      );
      expect(Number(owners)).toBe(1);
    });
  });

  describe('several organisations', () => {
    it('are switched between on the dashboard; only one’s own can be chosen', async () => {
      const { browser: owner } = await newOwner('Switch Org');
      const eventId = await createEvent(testApp, owner, { title: 'Switch night' });
      const { browser: manager, email } = await member(owner, 'manager');
      const ownId = (
        await testApp.sql<{ id: number }[]>(
          `SELECT organisations.id FROM organisations JOIN users ON users.id = organisations.founder_id
           WHERE users.email = ?`,
          [email],
        )
      )[0].id;
      expect((await manager.get('/organiser')).text).toContain('Switch night');

      const back = await manager.submit(
        '/organiser/organisation',
        { organisationId: ownId },
        '/organiser',
      );
      expect(back.status).toBe(303);
      const dashboard = await manager.get('/organiser');
      expect(dashboard.text).not.toContain('Switch night');
      expect(dashboard.text).toMatch(/<option value="\d+">Switch Org \(manager\)<\/option>/);
      // Switching changes what is listed, not what may be reached.
      expect((await manager.get(`/edit-event/${eventId}`)).status).toBe(200);

      const { email: strangerEmail } = await newOwner('Stranger Org');
      const strangers = (
        await testApp.sql<{ id: number }[]>(
          `SELECT organisations.id FROM organisations JOIN users ON users.id = organisations.founder_id
           WHERE users.email = ?`,
          [strangerEmail],
        )
      )[0].id;
      const foreign = await manager.submit(
        '/organiser/organisation',
        { organisationId: strangers },
        '/organiser',
      );
      expect(foreign.status).toBe(404);
      for (const bad of ['', 'abc', '-1', '0', '1.5', '99999999999999999999']) {
        const res = await manager.submit(
          '/organiser/organisation',
          { organisationId: bad },
          '/organiser',
        );
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    });
  });
});
