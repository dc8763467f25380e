import request from 'supertest';
import {
  createApiToken,
  hiddenField,
  insertEvent,
  register,
  startTestApp,
  TestApp,
  uniqueEmail,
} from './support/test-app';

/*
 * Names are one line and emails plain addresses (PRODUCT.md "Abuse limits"): otherwise a
 * name writes lines of its own into a mail ("Hello Mallory\n\nYOUR BOOKING FAILED…") or a log.
 */

const BAD_NAMES: [string, string][] = [
  ['a line break', 'Mallory\n\nYOUR BOOKING FAILED. Pay again at http://evil.test/pay'],
  ['a carriage return', 'Mallory\rFAKE'],
  ['a tab', 'Mallory\tTab'],
  ['an escape sequence', 'Mallory\u001b[31mred'],
  ['a line separator', 'Mallory\u2028FAKE'],
  ['a paragraph separator', 'Mallory\u2029FAKE'],
];
const BAD_EMAILS: [string, string][] = [
  ['a quoted local part with a line break', '"a\r\nFAKE LOG LINE\u001b[31m"@example.com'],
  ['a quoted local part', '"ada lovelace"@example.com'],
  ['a display name', 'Ada <ada@example.com>'],
];

/** The fields a problem+json names. */
const fieldsOf = (body: unknown) =>
  (body as { errors: { field: string }[] }).errors.map((error) => error.field);

describe('names and emails', () => {
  let testApp: TestApp;
  let token: string;
  let eventId: number;
  let ticketTypeId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    ({
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(testApp, { ticketTypes: [{ capacity: 100 }] }));
  });
  afterAll(() => testApp.close());

  const bookingCount = async () =>
    Number((await testApp.sql<{ n: number }[]>('SELECT COUNT(*) AS n FROM bookings'))[0].n);

  async function buyWithForm(attendeeName: string, attendeeEmail: string) {
    const browser = testApp.browser();
    const form = await browser.get(`/buy-tickets/${eventId}`);
    return browser.post(`/purchase/${eventId}`, {
      _csrf: hiddenField(form.text, '_csrf'),
      idempotencyKey: hiddenField(form.text, 'idempotencyKey'),
      attendeeName,
      attendeeEmail,
      [`quantities[${ticketTypeId}]`]: 1,
    });
  }

  const buyWithApi = (attendeeName: string, attendeeEmail: string) =>
    request(testApp.app.getHttpServer())
      .post(`/api/v1/events/${eventId}/bookings`)
      .set('Authorization', `Bearer ${token}`)
      .send({ attendeeName, attendeeEmail, items: [{ ticketTypeId, quantity: 1 }] });

  it.each(BAD_NAMES)(
    'refuses an attendee name with %s on the buy form (422, the field named) and books nothing',
    async (_label, name) => {
      const before = await bookingCount();
      const res = await buyWithForm(name, 'ada@example.com');
      expect(res.status).toBe(422);
      expect(res.text).toContain('Must be one line, without tabs or control characters');
      expect(await bookingCount()).toBe(before);
    },
  );

  it.each(BAD_NAMES)('refuses an attendee name with %s on the API (400)', async (_label, name) => {
    const res = await buyWithApi(name, 'ada@example.com');
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['attendeeName']);
  });

  it.each(BAD_EMAILS)(
    'refuses an email with %s, on the form and the API',
    async (_label, email) => {
      const before = await bookingCount();
      expect((await buyWithForm('Ada', email)).status).toBe(422);
      const api = await buyWithApi('Ada', email);
      expect(api.status).toBe(400);
      expect(fieldsOf(api.body)).toEqual(['attendeeEmail']);
      expect(await bookingCount()).toBe(before);
    },
  );

  it('still books names in any script, with apostrophes, hyphens and accents', async () => {
    for (const name of ["Siobhán O'Brien-Ní Dhuibhir", 'Zoë Ångström', '山田 太郎', 'José 🎟️']) {
      expect((await buyWithForm(name, 'ada+tag@sub.example.org')).status).toBe(303);
    }
  });

  it('refuses a display name with a line break or tab at registration', async () => {
    for (const displayName of ['Olive\nOrganiser', 'Olive\tOrganiser', 'Olive\u2028O']) {
      const browser = testApp.browser();
      const res = await browser.submit(
        '/register',
        { email: uniqueEmail(), password: 'correct horse battery', displayName },
        '/register',
      );
      expect(res.status).toBe(422);
    }
  });

  it('refuses an email with a quoted local part at registration', async () => {
    const res = await testApp
      .browser()
      .submit(
        '/register',
        { email: '"a\r\nb"@example.com', password: 'correct horse battery', displayName: 'Olive' },
        '/register',
      );
    expect(res.status).toBe(422);
  });
});
