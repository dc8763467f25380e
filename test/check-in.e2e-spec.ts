import Handlebars from 'handlebars';
import { qrSvg } from '../src/common/qr-svg';
import { checkInUrl } from '../src/check-in/ticket-qr';
import { AppConfig } from '../src/config/app-config';
import {
  FormBooking,
  buyWithForm,
  Browser,
  createApiToken,
  createEvent,
  registerAdminAndTwoOrganisers,
  startTestApp,
  TestApp,
} from './support/test-app';

describe('check-in at the door', () => {
  let testApp: TestApp;
  /** The first account: the admin. */
  let admin: Browser;
  let organiserA: Browser;
  let organiserB: Browser;

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0); // one listening server, so concurrent requests never race its start and stop
    ({ admin, organiserA, organiserB } = await registerAdminAndTwoOrganisers(testApp));
  });
  afterAll(() => testApp.close());

  /** A published event of organiser A: Full price × 100 and Concession × 50. */
  const newEvent = () => createEvent(testApp, organiserA);

  /** Buys through the buy form in a fresh browser; quantities in ticket type order. */
  const buy = (eventId: number, quantities = [2, 1], attendeeName = 'Grace Hopper') =>
    buyWithForm(testApp, eventId, { quantities, attendeeName, attendeeEmail: 'grace@example.com' });

  const deskPath = (eventId: number) => `/organiser/events/${eventId}/check-in`;

  const checkIn = (browser: Browser, eventId: number, reference: string) =>
    browser.submit(deskPath(eventId), { reference }, deskPath(eventId));

  /** checked_in_at as stored (PostgreSQL gives a Date, SQLite a string), or null. */
  async function checkedInAtOf(reference: string): Promise<string | null> {
    const [row] = await testApp.sql<{ checked_in_at: Date | string | null }[]>(
      'SELECT checked_in_at FROM bookings WHERE reference = ?',
      [reference],
    );
    return row.checked_in_at instanceof Date ? row.checked_in_at.toISOString() : row.checked_in_at;
  }

  const ticketCodesOf = async (bookingId: number) =>
    (
      await testApp.sql<{ code: string }[]>(
        'SELECT code FROM tickets WHERE booking_id = ? ORDER BY id',
        [bookingId],
      )
    ).map((row) => row.code);

  const checkInsRecorded = async (reference: string) =>
    (
      await testApp.sql(
        "SELECT id FROM audit_log WHERE action = 'booking.checked-in' AND subject = ?",
        [`booking ${reference}`],
      )
    ).length;

  describe('the check-in page (GET)', () => {
    let eventId: number;

    beforeAll(async () => {
      eventId = await newEvent();
    });

    it('sends an anonymous visitor to /login?next=<the page> with 303', async () => {
      const res = await testApp.browser().get(deskPath(eventId));
      expect(res.status).toBe(303);
      const location = new URL(res.headers.location, 'http://localhost');
      expect(location.pathname).toBe('/login');
      expect(location.searchParams.get('next')).toBe(deskPath(eventId));
    });

    it('shows the event’s organiser a form with an autofocused reference field and a CSRF token', async () => {
      const res = await organiserA.get(deskPath(eventId));
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/<form method="post" action="\/organiser\/events\/\d+\/check-in"/);
      expect(res.text).toMatch(/<input id="reference" name="reference"[^>]* autofocus/);
      expect(res.text).toContain('name="_csrf"');
    });

    it('fills the field from ?reference= (a scanned ticket) without checking anybody in', async () => {
      const booking = await buy(eventId);
      const res = await organiserA.get(`${deskPath(eventId)}?reference=${booking.reference}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`value="${booking.reference}"`);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('answers another organiser with 404', async () => {
      expect((await organiserB.get(deskPath(eventId))).status).toBe(404);
    });

    it('answers an unknown or non-numeric event id with 404', async () => {
      expect((await organiserA.get(deskPath(999999))).status).toBe(404);
      expect((await organiserA.get('/organiser/events/abc/check-in')).status).toBe(404);
    });

    it('is linked from the dashboard and from the event’s bookings page', async () => {
      const link = `href="${deskPath(eventId)}"`;
      expect((await organiserA.get('/organiser')).text).toContain(link);
      expect((await organiserA.get(`/organiser/events/${eventId}/bookings`)).text).toContain(link);
    });
  });

  describe('checking a booking in (POST)', () => {
    let eventId: number;
    let otherEventId: number;

    beforeAll(async () => {
      eventId = await newEvent();
      otherEventId = await newEvent();
    });

    it('says "Checked in" with the attendee’s name and items, answers 200 and stores the time', async () => {
      const booking = await buy(eventId, [2, 1], 'Grace Hopper');
      const res = await checkIn(organiserA, eventId, booking.reference);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Checked in:');
      expect(res.text).toContain('Grace Hopper');
      expect(res.text).toContain('2 × Full price');
      expect(res.text).toContain('1 × Concession');
      expect(await checkedInAtOf(booking.reference)).not.toBeNull();
      expect(await checkInsRecorded(booking.reference)).toBe(1);
    });

    it('reads a reference typed in lower case with spaces around it', async () => {
      const booking = await buy(eventId);
      const res = await checkIn(organiserA, eventId, `  ${booking.reference.toLowerCase()} `);
      expect(res.status).toBe(200);
      expect(await checkedInAtOf(booking.reference)).not.toBeNull();
    });

    it('reads the whole ticket link a handheld scanner types from the QR code', async () => {
      const booking = await buy(eventId, [1, 0]);
      const [code] = await ticketCodesOf(booking.id);
      const scanned = checkInUrl(testApp.app.get(AppConfig).publicUrl, eventId, code);
      const res = await checkIn(organiserA, eventId, scanned);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Checked in:');
      expect(await checkedInAtOf(booking.reference)).not.toBeNull();
    });

    it('refuses the scanned link of another event’s ticket with 404', async () => {
      const booking = await buy(otherEventId);
      const [code] = await ticketCodesOf(booking.id);
      const scanned = checkInUrl(testApp.app.get(AppConfig).publicUrl, otherEventId, code);
      const res = await checkIn(organiserA, eventId, scanned);
      expect(res.status).toBe(404);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('says "Already checked in at" the first time with 409 the second time, and keeps the first time', async () => {
      const booking = await buy(eventId, [1, 0], 'Second Scan');
      await checkIn(organiserA, eventId, booking.reference);
      const first = await checkedInAtOf(booking.reference);
      const res = await checkIn(organiserA, eventId, booking.reference);
      expect(res.status).toBe(409);
      expect(res.text).toMatch(/Already checked in at <time datetime="[^"]+">/);
      expect(res.text).toContain('Second Scan');
      expect(await checkedInAtOf(booking.reference)).toBe(first);
      expect(await checkInsRecorded(booking.reference)).toBe(1);
    });

    it('refuses a cancelled booking with 409 and a clear message', async () => {
      const booking = await buy(eventId);
      const cancelled = await booking.browser.submit(`/booking/${booking.reference}/cancel`, {
        secret: booking.secret,
      });
      expect(cancelled.status).toBe(303);
      const res = await checkIn(organiserA, eventId, booking.reference);
      expect(res.status).toBe(409);
      expect(res.text).toContain('was cancelled');
      expect(res.text).not.toContain('Checked in:');
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('refuses a reference of another event with 404, without showing that booking', async () => {
      const elsewhere = await buy(otherEventId, [1, 0], 'Elsewhere Person');
      const res = await checkIn(organiserA, eventId, elsewhere.reference);
      expect(res.status).toBe(404);
      expect(res.text).toContain('for this event');
      expect(res.text).not.toContain('Elsewhere Person');
      expect(await checkedInAtOf(elsewhere.reference)).toBeNull();
    });

    it('refuses an unknown reference with 404', async () => {
      const res = await checkIn(organiserA, eventId, 'ZZZZZZZZZZ');
      expect(res.status).toBe(404);
      expect(res.text).toContain('No ticket or booking');
    });

    it('answers another organiser with 404 and checks nobody in', async () => {
      const booking = await buy(eventId);
      const res = await organiserB.submit(deskPath(eventId), { reference: booking.reference });
      expect(res.status).toBe(404);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('lets an admin check in at any event', async () => {
      const booking = await buy(eventId);
      const res = await admin.submit(deskPath(eventId), { reference: booking.reference });
      expect(res.status).toBe(200);
      expect(await checkedInAtOf(booking.reference)).not.toBeNull();
    });

    it('refuses a POST without the session’s CSRF token with 403 and checks nobody in', async () => {
      const booking = await buy(eventId);
      const res = await organiserA.post(deskPath(eventId), { reference: booking.reference });
      expect(res.status).toBe(403);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('shows the checked-in time on the bookings page and in the CSV', async () => {
      const booking = await buy(eventId);
      await checkIn(organiserA, eventId, booking.reference);
      const page = await organiserA.get(`/organiser/events/${eventId}/bookings`);
      expect(page.text).toMatch(/<th scope="col">Checked in<\/th>/);
      const csv = (await organiserA.get(`/organiser/events/${eventId}/bookings.csv`)).text;
      const row = csv.split('\r\n').find((line) => line.startsWith(`"${booking.reference}"`))!;
      // checked_in_at, then the payment columns (paid at the door: not yet), the date, no voucher, no seats.
      expect(row).toMatch(
        /,"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","on_site",,"0\.00",,"\d{4}-\d\d-\d\dT[^"]+Z",,$/,
      );
    });

    it('gives the booking’s checkedInAt in the API', async () => {
      const booking = await buy(eventId);
      await checkIn(organiserA, eventId, booking.reference);
      const token = await createApiToken(admin);
      const res = await admin.agent
        .get(`/api/v1/bookings/${booking.reference}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body.checkedInAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      expect(res.body).toHaveProperty('cancelledAt', null);
    });
  });

  describe('the counts on the page', () => {
    it('count tickets and bookings of confirmed bookings, and go up with each check-in', async () => {
      const eventId = await newEvent();
      const pair = await buy(eventId, [2, 0]);
      await buy(eventId, [0, 1]);
      const cancelled = await buy(eventId, [3, 0]);
      await cancelled.browser.submit(`/booking/${cancelled.reference}/cancel`, {
        secret: cancelled.secret,
      });
      const before = await organiserA.get(deskPath(eventId));
      expect(before.text).toContain('0 of 3 tickets checked in');
      expect(before.text).toContain('0 of 2 confirmed bookings');
      const after = await checkIn(organiserA, eventId, pair.reference);
      expect(after.text).toContain('2 of 3 tickets checked in');
      expect(after.text).toContain('1 of 2 confirmed bookings');
    });
  });

  describe('two doors scanning one ticket at once', () => {
    it('checks it in exactly once among 50 simultaneous check-ins; the others say "already"', async () => {
      const eventId = await newEvent();
      const booking = await buy(eventId, [2, 0], 'Rush Hour');
      const _csrf = await organiserA.csrfToken(deskPath(eventId));
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          organiserA.post(deskPath(eventId), { _csrf, reference: booking.reference }),
        ),
      );
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      expect(responses.filter((res) => res.text.includes('Checked in:'))).toHaveLength(1);
      expect(responses.filter((res) => res.text.includes('Already checked in at'))).toHaveLength(
        49,
      );
      expect(await checkedInAtOf(booking.reference)).not.toBeNull();
      expect(await checkInsRecorded(booking.reference)).toBe(1);
    });
  });

  describe('bad input in the reference field', () => {
    let eventId: number;
    let booking: FormBooking;

    beforeAll(async () => {
      eventId = await newEvent();
      booking = await buy(eventId);
    });

    it.each([
      ['empty', ''],
      ['only spaces', '    '],
      ['41 characters', 'A'.repeat(41)],
      ['a script tag', '<script>alert(1)</script>'],
      ['SQL injection', "' OR 1=1 --"],
      ['the reference with a NUL byte', () => `${booking.reference}\u0000`],
      ['the reference with a newline', () => `${booking.reference}\nX`],
      ['unicode letters', 'ÄÖÜ€🎟️'],
      ['a right-to-left override', () => `\u202E${booking.reference}`],
    ])(
      'refuses %s with 422, keeps the value escaped and checks nobody in',
      async (_name, value) => {
        const typed = typeof value === 'function' ? value() : value;
        const res = await checkIn(organiserA, eventId, typed);
        expect(res.status).toBe(422);
        expect(res.text).toContain('id="reference-error"');
        if (!typed.includes('\u0000')) {
          expect(res.text).toContain(`value="${Handlebars.escapeExpression(typed)}"`);
        }
        expect(res.text).not.toContain('<script>alert(1)</script>');
        expect(await checkedInAtOf(booking.reference)).toBeNull();
      },
    );

    it('refuses a 1 MB reference with a 4xx and checks nobody in', async () => {
      const res = await checkIn(organiserA, eventId, 'A'.repeat(1_000_000));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });

    it('refuses a reference sent twice (an array) with 422', async () => {
      const _csrf = await organiserA.csrfToken(deskPath(eventId));
      const res = await organiserA.agent
        .post(deskPath(eventId))
        .type('form')
        .send(`_csrf=${encodeURIComponent(_csrf)}&reference=${booking.reference}&reference=X`);
      expect(res.status).toBe(422);
      expect(await checkedInAtOf(booking.reference)).toBeNull();
    });
  });

  describe('each ticket’s QR code', () => {
    let eventId: number;
    let booking: FormBooking;
    let codes: string[];

    beforeAll(async () => {
      eventId = await newEvent();
      booking = await buy(eventId, [2, 1]);
      codes = await ticketCodesOf(booking.id);
    });

    const qrPath = (code: string, secret?: string, reference = booking.reference) =>
      `/booking/${reference}/tickets/${code}/qr.svg${secret === undefined ? '' : `?secret=${encodeURIComponent(secret)}`}`;

    it('is an SVG of the ticket’s check-in link for whoever has the secret, kept private', async () => {
      const publicUrl = testApp.app.get(AppConfig).publicUrl;
      for (const code of codes) {
        const res = await testApp.browser().get(qrPath(code, booking.secret));
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
        expect(res.headers['cache-control']).toMatch(/private/);
        const body = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
        expect(body).toBe(await qrSvg(checkInUrl(publicUrl, eventId, code)));
      }
    });

    it.each([
      ['a wrong secret', 'not-the-secret'],
      ['no secret', undefined],
    ])('answers 404 to %s', async (_name, secret) => {
      const res = await testApp.browser().get(qrPath(codes[0], secret));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toMatch(/svg/);
    });

    it('answers 404 for an unknown reference, and for another booking’s ticket', async () => {
      expect(
        (await testApp.browser().get(qrPath(codes[0], booking.secret, 'ZZZZZZZZZZ'))).status,
      ).toBe(404);
      const other = await buy(eventId, [1, 0]);
      const [otherCode] = await ticketCodesOf(other.id);
      expect((await testApp.browser().get(qrPath(otherCode, booking.secret))).status).toBe(404);
      expect((await testApp.browser().get(qrPath('<script>', booking.secret))).status).toBe(404);
    });

    const qrImage = (code: string, secret: string) =>
      `<img class="ticket-qr" src="${qrPath(code, undefined)}?secret=${Handlebars.escapeExpression(secret)}" alt="QR code of ticket ${code}"`;

    it('is shown on the success page, one per ticket, each with its code in large text', async () => {
      const page = await booking.browser.get(`/purchase/success?ref=${booking.reference}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Your 3 tickets');
      for (const code of codes) {
        expect(page.text).toContain(qrImage(code, booking.secret));
        expect(page.text).toContain(`<p class="ticket-reference reference">${code}</p>`);
      }
    });

    it('is shown on the booking page, one per ticket, with the reference that lets all in', async () => {
      const page = await testApp
        .browser()
        .get(`/booking/${booking.reference}?secret=${encodeURIComponent(booking.secret)}`);
      expect(page.status).toBe(200);
      for (const code of codes) expect(page.text).toContain(qrImage(code, booking.secret));
      expect(page.text).toContain('lets the whole booking in at once');
    });
  });
});
