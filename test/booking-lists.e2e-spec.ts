import request from 'supertest';
import {
  Browser,
  createApiToken,
  createEvent,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  writeSql,
} from './support/test-app';

const BOOKINGS = 1_230;
const referenceOf = (n: number) => `L${String(n).padStart(9, '0')}`;
const referencesOn = (html: string) =>
  [...html.matchAll(/<td class="reference">([0-9A-Z]{10})<\/td>/g)].map((match) => match[1]);

/*
 * Every list is paged or streamed from SQL (PRODUCT.md "Abuse limits"): an event with more
 * bookings than a page, and than the export's batch, is read a page at a time.
 */
describe('an event with 1,230 bookings', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let eventId: number;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    organiser = testApp.browser();
    await register(organiser); // the first account: an admin, so it can make a token too
    token = await createApiToken(organiser);
    eventId = await createEvent(testApp, organiser, { 'ticketTypes[0][capacity]': '5000' });
    const [type] = await ticketTypesOf(testApp, eventId);
    // Written in three statements; created one second apart, so "newest first" is well defined.
    const postgres = testApp.db.options.type === 'postgres';
    const reference = postgres
      ? "'L' || lpad(i::text, 9, '0')"
      : "'L' || substr('000000000' || i, -9)";
    const createdAt = postgres
      ? `now() - ((${BOOKINGS} - i) || ' seconds')::interval`
      : `datetime('now', '-' || (${BOOKINGS} - i) || ' seconds')`;
    await writeSql(
      testApp,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BOOKINGS})
       INSERT INTO bookings (reference, secret, event_id, date_id, attendee_name, attendee_email, total_cents, status, created_at)
       SELECT ${reference}, 'secret', ?, (SELECT MIN(id) FROM event_dates WHERE event_id = ?), 'Buyer ' || i, 'buyer@example.com', 2500, 'confirmed', ${createdAt}
       FROM n`,
      [eventId, eventId],
    );
    await writeSql(
      testApp,
      `INSERT INTO booking_items (booking_id, ticket_type_id, quantity, unit_price_cents)
       SELECT id, ?, 1, 2500 FROM bookings WHERE event_id = ?`,
      [type.id, eventId],
    );
    await writeSql(testApp, 'UPDATE ticket_types SET sold = ? WHERE id = ?', [BOOKINGS, type.id]);
    await writeSql(testApp, 'UPDATE date_inventory SET sold = ? WHERE ticket_type_id = ?', [
      BOOKINGS,
      type.id,
    ]);
  }, 60_000);
  afterAll(() => testApp.close());

  it('shows the bookings page 50 at a time, newest first, each booking on exactly one page, 404 past the last', async () => {
    const seen: string[] = [];
    const pages = Math.ceil(BOOKINGS / 50);
    for (let page = 1; page <= pages; page++) {
      const res = await organiser.get(`/organiser/events/${eventId}/bookings?page=${page}`);
      expect(res.status).toBe(200);
      const references = referencesOn(res.text);
      expect(references).toHaveLength(page < pages ? 50 : BOOKINGS % 50 || 50);
      if (page < pages) expect(res.text).toContain(`bookings?page=${page + 1}" rel="next"`);
      seen.push(...references);
    }
    expect(seen[0]).toBe(referenceOf(BOOKINGS));
    expect(new Set(seen).size).toBe(BOOKINGS);
    const past = await organiser.get(`/organiser/events/${eventId}/bookings?page=${pages + 1}`);
    expect(past.status).toBe(404);
  });

  it('pages the API list in SQL: the total, and the page asked for', async () => {
    const res = await request(testApp.app.getHttpServer())
      .get(`/api/v1/events/${eventId}/bookings?limit=100&offset=1200`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(BOOKINGS);
    expect(res.body.data).toHaveLength(30);
    expect(res.body.data[29].reference).toBe(referenceOf(1));
  });

  it('streams the whole CSV, every booking once, past the export’s batches of 500', async () => {
    const csv = (await organiser.get(`/organiser/events/${eventId}/bookings.csv`)).text;
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(BOOKINGS + 1);
    const references = lines.slice(1).map((line) => /^"([0-9A-Z]{10})"/.exec(line)?.[1]);
    expect(new Set(references).size).toBe(BOOKINGS);
  });
});
