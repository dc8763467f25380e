import {
  Browser,
  buyWithForm,
  createEvent,
  FormFields,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
  writeSql,
} from './support/test-app';

type Who = 'owner' | 'manager' | 'door' | 'other' | 'anonymous';
/** What a route needs: any member's login, a role (door < manage < own), or a site admin. */
type Needs = 'login' | 'door' | 'manage' | 'own' | 'admin';
/** Whose route: an event's (of the owner's organisation) or the organisation the user works in. */
type Scope = 'event' | 'organisation';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  needs: Needs;
  scope: Scope;
  fields?: FormFields;
}

const ROLE_MEETS: Record<'owner' | 'manager' | 'door', Needs[]> = {
  owner: ['login', 'door', 'manage', 'own'],
  manager: ['login', 'door', 'manage'],
  door: ['login', 'door'],
};

/** How each route answers each visitor: in, not found (as if it did not exist), forbidden, or to /login. */
function expected(route: Route, who: Who): 'in' | 'not found' | 'forbidden' | 'login' {
  if (who === 'anonymous') return 'login';
  if (route.needs === 'admin') return 'forbidden';
  // Another organisation's owner: its own organisation's pages, none of this one's events.
  if (who === 'other') return route.scope === 'organisation' ? 'in' : 'not found';
  return ROLE_MEETS[who].includes(route.needs) ? 'in' : 'not found';
}

function outcome(status: number, location: string | undefined) {
  if (status === 303 && location?.startsWith('/login')) return 'login';
  if (status === 404) return 'not found';
  if (status === 403) return 'forbidden';
  // In: the page, or the action's own answer (done, refused input, a conflict) — never a 5xx.
  return status < 500 ? 'in' : `error ${status}`;
}

/*
 * The role × route table (PRODUCT.md "Teams and accounts"): every organiser page and route,
 * tried as the organisation's owner, a manager, door staff, the owner of another organisation
 * and an anonymous visitor. Actions are posted with input they refuse (or that changes nothing
 * twice), so the table's order does not matter; what they do is tested in their own files.
 */
describe('roles × routes', () => {
  let testApp: TestApp;
  const visitors = {} as Record<Who, Browser>;
  let routes: Route[];
  let eventId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    await register(testApp.browser(), uniqueEmail('admin'), 'Ada Admin');
    visitors.owner = testApp.browser();
    const ownerEmail = await register(visitors.owner, uniqueEmail('owner'), 'Table Owner');
    for (const role of ['manager', 'door'] as const) {
      visitors[role] = testApp.browser();
      const email = await register(visitors[role], uniqueEmail(role));
      await writeSql(
        testApp,
        `INSERT INTO memberships (organisation_id, user_id, role)
         SELECT memberships.organisation_id, (SELECT id FROM users WHERE email = ?), ?
         FROM memberships JOIN users ON users.id = memberships.user_id WHERE users.email = ?`,
        [email, role, ownerEmail],
      );
      // Working in the owner's organisation, as after accepting an invitation.
      const [{ id }] = await testApp.sql<{ id: number }[]>(
        "SELECT id FROM organisations WHERE name = 'Table Owner'",
      );
      expect(
        (
          await visitors[role].submit(
            '/organiser/organisation',
            { organisationId: id },
            '/organiser',
          )
        ).status,
      ).toBe(303);
    }
    visitors.other = testApp.browser();
    await register(visitors.other, uniqueEmail('other'), 'Other Owner');
    visitors.anonymous = testApp.browser();

    eventId = await createEvent(testApp, visitors.owner, { title: 'Table night' });
    const draftId = await createEvent(
      testApp,
      visitors.owner,
      { title: 'Table draft' },
      { publish: false },
    );
    const { reference } = await buyWithForm(testApp, eventId);
    const e = `/organiser/events/${eventId}`;
    const route = (
      method: Route['method'],
      path: string,
      needs: Needs,
      scope: Scope = 'event',
      fields: FormFields = {},
    ): Route => ({ method, path, needs, scope, fields });
    routes = [
      route('GET', '/organiser', 'login', 'organisation'),
      route('GET', '/account', 'login', 'organisation'),
      route('GET', '/create-event', 'manage', 'organisation'),
      route('POST', '/create-event', 'manage', 'organisation', { title: '' }),
      route('GET', '/organiser/team', 'own', 'organisation'),
      route('POST', '/organiser/team/invitations', 'own', 'organisation', { email: 'x' }),
      route('POST', '/organiser/team/name', 'own', 'organisation', { name: '' }),
      route('GET', '/organiser/webhooks', 'own', 'organisation'),
      route('POST', '/organiser/webhooks', 'own', 'organisation', { url: '' }),
      route('GET', '/site-settings', 'admin', 'organisation'),
      route('GET', '/users/list-users', 'admin', 'organisation'),
      route('GET', '/api-tokens', 'admin', 'organisation'),
      route('GET', '/audit-log', 'admin', 'organisation'),
      route('GET', `/edit-event/${eventId}`, 'manage'),
      route('POST', `/edit-event/${eventId}`, 'manage', 'event', { title: '' }),
      route('POST', `/publish-event/${draftId}`, 'manage'),
      route('GET', `${e}/sales`, 'manage'),
      route('GET', `${e}/dates`, 'manage'),
      route('POST', `${e}/dates`, 'manage', 'event', { startsAt: '' }),
      route('GET', `${e}/bookings`, 'door'),
      route('GET', `${e}/bookings.csv`, 'manage'),
      route('POST', `${e}/bookings/${reference}/cancel`, 'manage'),
      route('POST', `/organiser/bookings/${reference}/mark-paid`, 'manage'),
      route('GET', `/organiser/bookings/${reference}/refund`, 'manage'),
      route('POST', `/organiser/bookings/${reference}/refund`, 'manage', 'event', {
        amount: 'x',
      }),
      route('GET', `${e}/check-in`, 'door'),
      route('POST', `${e}/check-in`, 'door', 'event', { reference }),
      route('GET', `${e}/seating`, 'manage'),
      route('POST', `${e}/seating/sections`, 'manage', 'event', { name: '' }),
      route('GET', `${e}/vouchers`, 'manage'),
      route('GET', `${e}/vouchers.csv`, 'manage'),
      route('POST', `${e}/vouchers`, 'manage', 'event', { code: '' }),
      route('GET', `${e}/waiting-list`, 'manage'),
      route('GET', `${e}/queue`, 'manage'),
      route('POST', `${e}/queue/rate`, 'manage', 'event', { admissionPerMinute: '' }),
    ];
  });
  afterAll(() => testApp.close());

  it.each(['owner', 'manager', 'door', 'other', 'anonymous'] as Who[])(
    'as %s, every organiser page and route answers as the table says',
    async (who) => {
      const browser = visitors[who];
      const answers: string[] = [];
      const wanted: string[] = [];
      for (const route of routes) {
        const res =
          route.method === 'GET'
            ? await browser.get(route.path)
            : await browser.submit(route.path, route.fields, '/login');
        answers.push(`${route.method} ${route.path}: ${outcome(res.status, res.headers.location)}`);
        wanted.push(`${route.method} ${route.path}: ${expected(route, who)}`);
      }
      expect(answers).toEqual(wanted);
    },
  );

  it.each(['owner', 'manager', 'door', 'other'] as Who[])(
    'as %s, the admin API answers a logged-in browser without a token 401',
    async (who) => {
      for (const path of [
        '/api/v1/events',
        `/api/v1/events/${eventId}`,
        `/api/v1/events/${eventId}/bookings`,
        '/api/v1/webhooks',
      ])
        expect((await visitors[who].get(path)).status).toBe(401);
    },
  );

  it('shows door staff the bookings without money, and check-in without taking payment', async () => {
    const door = await visitors.door.get(`/organiser/events/${eventId}/bookings`);
    const manager = await visitors.manager.get(`/organiser/events/${eventId}/bookings`);
    for (const page of [door, manager]) expect(page.text).toContain('Ada Lovelace');
    expect(manager.text).toContain('>Total<');
    expect(manager.text).toContain('bookings.csv');
    expect(door.text).not.toContain('>Total<');
    expect(door.text).not.toContain('bookings.csv');
    expect(door.text).not.toMatch(/mark-paid|refund|\/cancel"/);
    const nav = (await visitors.door.get('/organiser')).text;
    expect(nav).not.toContain('href="/create-event"');
    expect(nav).not.toContain('href="/organiser/webhooks"');
    expect(nav).not.toContain('href="/organiser/team"');
  });
});
