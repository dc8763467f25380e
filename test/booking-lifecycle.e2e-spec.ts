import {
  FormBooking,
  buyWithForm,
  Browser,
  createEvent,
  hiddenField,
  register,
  registerAdminAndTwoOrganisers,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';
import { REMEMBER_BOOKINGS_MS } from '../src/bookings/remembered-bookings';

describe('the booking lifecycle (pages)', () => {
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
  const newEvent = (overrides: Record<string, string> = {}) =>
    createEvent(testApp, organiserA, overrides);

  const soldOf = async (eventId: number) =>
    (await ticketTypesOf(testApp, eventId)).map((type) => Number(type.sold));

  const statusOf = async (reference: string) =>
    (
      await testApp.sql<{ status: string; cancelled_at: string | null }[]>(
        'SELECT status, cancelled_at FROM bookings WHERE reference = ?',
        [reference],
      )
    )[0];

  /** Buys through the buy form in `browser` (a fresh one unless given); quantities in ticket type order. */
  const buy = (
    eventId: number,
    quantities = [2],
    attendeeName = 'Ada Lovelace',
    browser = testApp.browser(),
  ) => buyWithForm(testApp, eventId, { quantities, attendeeName, browser });

  const bookingPath = (booking: FormBooking) =>
    `/booking/${booking.reference}?secret=${encodeURIComponent(booking.secret)}`;

  /**
   * Posts the booking page's cancel form in a fresh browser (the CSRF token is the session's,
   * the same on every page; taken from /login because a cancelled booking's page has no form).
   */
  async function cancelAsAttendee(booking: FormBooking, browser = testApp.browser()) {
    return browser.submit(`/booking/${booking.reference}/cancel`, { secret: booking.secret });
  }

  const cancelAsOrganiser = (browser: Browser, eventId: number, reference: string) =>
    browser.submit(
      `/organiser/events/${eventId}/bookings/${reference}/cancel`,
      {},
      '/create-event',
    );

  /** The "Left" cell of a ticket type on the public event page. */
  async function leftOnEventPage(eventId: number, typeName: string): Promise<number> {
    const page = await testApp.browser().get(`/event/${eventId}`);
    const match = new RegExp(
      `<td>${typeName}</td>\\s*<td class="num">[^<]*</td>\\s*<td class="num">(\\d+)</td>`,
    ).exec(page.text);
    if (!match) throw new Error(`no "${typeName}" row on the event page`);
    return Number(match[1]);
  }

  describe('looking up a booking (GET /booking/:reference)', () => {
    let eventId: number;
    let booking: FormBooking;

    beforeAll(async () => {
      eventId = await newEvent();
      booking = await buy(eventId, [2, 1], 'Grace Hopper');
    });

    it('shows the booking, its items and total to anyone with the secret', async () => {
      const page = await testApp.browser().get(bookingPath(booking));
      expect(page.status).toBe(200);
      expect(page.text).toContain(booking.reference);
      expect(page.text).toContain('Grace Hopper');
      expect(page.text).toContain('Concession');
      expect(page.text).toContain('62.50');
    });

    it('offers a cancel form carrying the CSRF token and the secret', async () => {
      const page = await testApp.browser().get(bookingPath(booking));
      expect(page.text).toContain(`action="/booking/${booking.reference}/cancel"`);
      expect(hiddenField(page.text, '_csrf')).not.toBe('');
      expect(hiddenField(page.text, 'secret')).toBe(booking.secret);
    });

    it('answers 404 without the secret, showing no attendee data', async () => {
      const page = await testApp.browser().get(`/booking/${booking.reference}`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('Grace Hopper');
    });

    it('answers 404 for a wrong secret, showing no attendee data', async () => {
      const page = await testApp.browser().get(`/booking/${booking.reference}?secret=wrong`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('Grace Hopper');
    });

    it('answers 404 for an unknown reference', async () => {
      const page = await testApp.browser().get(`/booking/ZZZZZZZZZZ?secret=${booking.secret}`);
      expect(page.status).toBe(404);
    });

    it('shows the booking without the secret to the browser that made it', async () => {
      const buyer = testApp.browser();
      const own = await buy(eventId, [1], 'Grace Hopper', buyer);
      const page = await buyer.get(`/booking/${own.reference}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Grace Hopper');
    });

    it('no longer shows the booking without the secret to that browser two hours later', async () => {
      const buyer = testApp.browser();
      const own = await buy(eventId, [1], 'Grace Hopper', buyer);
      const later = Date.now() + REMEMBER_BOOKINGS_MS + 1000;
      const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
      try {
        // Even a browser that kept the cookie past its expiry (the expiry is signed inside it).
        const page = await buyer.get(`/booking/${own.reference}`);
        expect(page.status).toBe(404);
        expect(page.text).not.toContain('Grace Hopper');
      } finally {
        clock.mockRestore();
      }
    });

    it('no longer shows the booking without the secret once that browser has logged out', async () => {
      const buyer = testApp.browser();
      await register(buyer);
      const own = await buy(eventId, [1], 'Grace Hopper', buyer);
      expect((await buyer.get(`/booking/${own.reference}`)).status).toBe(200);
      expect((await buyer.submit('/logout', {}, '/organiser')).status).toBe(303);
      const page = await buyer.get(`/booking/${own.reference}`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('Grace Hopper');
    });

    it('is linked, with its secret, from the success page', async () => {
      const buyer = testApp.browser();
      const own = await buy(eventId, [1], 'Grace Hopper', buyer);
      const page = await buyer.get(`/purchase/success?ref=${own.reference}`);
      expect(page.text).toContain(`href="/booking/${own.reference}?secret=${own.secret}"`);
    });
  });

  describe('cancelling as the attendee (POST /booking/:reference/cancel)', () => {
    let eventId: number;

    beforeAll(async () => {
      eventId = await newEvent();
    });

    it('redirects 303 back to the booking page', async () => {
      const booking = await buy(eventId);
      const res = await cancelAsAttendee(booking);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(bookingPath(booking));
    });

    it('marks the booking cancelled with the time it was cancelled', async () => {
      const booking = await buy(eventId);
      await cancelAsAttendee(booking);
      const stored = await statusOf(booking.reference);
      expect(stored.status).toBe('cancelled');
      expect(stored.cancelled_at).not.toBeNull();
    });

    it('shows a flash message and the cancelled status on the booking page', async () => {
      const booking = await buy(eventId);
      const browser = testApp.browser();
      await cancelAsAttendee(booking, browser);
      const page = await browser.get(bookingPath(booking));
      expect(page.text).toContain(`Booking ${booking.reference} is cancelled.`);
      expect(page.text).toContain('This booking was cancelled');
      expect(page.text).not.toContain(`action="/booking/${booking.reference}/cancel"`);
    });

    it('returns the tickets to sale', async () => {
      const booking = await buy(eventId, [3, 1]);
      const before = await soldOf(eventId);
      await cancelAsAttendee(booking);
      expect(await soldOf(eventId)).toEqual([before[0] - 3, before[1] - 1]);
    });

    it('shows the returned tickets as left on the event page', async () => {
      const booking = await buy(eventId, [4]);
      const leftBefore = await leftOnEventPage(eventId, 'Full price');
      await cancelAsAttendee(booking);
      expect(await leftOnEventPage(eventId, 'Full price')).toBe(leftBefore + 4);
    });

    it('sells the returned tickets at once to a buyer just refused as sold out', async () => {
      const soldOutEvent = await newEvent({
        'ticketTypes[0][capacity]': '2',
        'ticketTypes[1][capacity]': '1',
      });
      const [fullPrice] = await ticketTypesOf(testApp, soldOutEvent);
      const late = testApp.browser();
      const form = await late.get(`/buy-tickets/${soldOutEvent}`);
      const tryToBuy = () =>
        late.post(`/purchase/${soldOutEvent}`, {
          _csrf: hiddenField(form.text, '_csrf'),
          attendeeName: 'Late Larry',
          attendeeEmail: 'larry@example.com',
          [`quantities[${fullPrice.id}]`]: 1,
        });
      const booking = await buy(soldOutEvent, [2, 1]);
      for (let i = 0; i < 2; i++) {
        expect((await tryToBuy()).headers.location).toBe(
          `/purchase/fail?reason=sold_out&event=${soldOutEvent}`,
        );
      }
      await cancelAsAttendee(booking);
      expect((await tryToBuy()).headers.location).toMatch(/^\/purchase\/success\?ref=/);
    });

    it('returns the tickets only once when the booking is cancelled twice', async () => {
      const booking = await buy(eventId, [2]);
      const before = await soldOf(eventId);
      expect((await cancelAsAttendee(booking)).status).toBe(303);
      expect((await cancelAsAttendee(booking)).status).toBe(303);
      expect(await soldOf(eventId)).toEqual([before[0] - 2, before[1]]);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('makes the success page say cancelled rather than confirmed', async () => {
      const buyer = testApp.browser();
      const booking = await buy(eventId, [1], 'Ada Lovelace', buyer);
      await cancelAsAttendee(booking);
      const page = await buyer.get(`/purchase/success?ref=${booking.reference}`);
      expect(page.text).toContain('This booking was cancelled.');
      expect(page.text).not.toContain('Your booking is confirmed.');
    });

    it('answers 404 for a wrong secret and changes nothing', async () => {
      const booking = await buy(eventId);
      const res = await cancelAsAttendee({ ...booking, secret: 'wrong-secret' });
      expect(res.status).toBe(404);
      expect((await statusOf(booking.reference)).status).toBe('confirmed');
    });

    it('answers 403 without a CSRF token and changes nothing', async () => {
      const booking = await buy(eventId, [2]);
      const before = await soldOf(eventId);
      const res = await testApp
        .browser()
        .post(`/booking/${booking.reference}/cancel`, { secret: booking.secret });
      expect(res.status).toBe(403);
      expect((await statusOf(booking.reference)).status).toBe('confirmed');
      expect(await soldOf(eventId)).toEqual(before);
    });
  });

  describe("an event's bookings page (GET /organiser/events/:id/bookings)", () => {
    let eventId: number;
    let booking: FormBooking;

    beforeAll(async () => {
      eventId = await newEvent({ title: 'Bookings page night' });
      booking = await buy(eventId, [2, 1], 'Grace Hopper');
    });

    it("lists the event's bookings with reference, name, email, total and status", async () => {
      const page = await organiserA.get(`/organiser/events/${eventId}/bookings`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(booking.reference);
      expect(page.text).toContain('Grace Hopper');
      expect(page.text).toContain('ada@example.com');
      expect(page.text).toContain('62.50');
      expect(page.text).toContain('confirmed');
    });

    it('links to the CSV export', async () => {
      const page = await organiserA.get(`/organiser/events/${eventId}/bookings`);
      expect(page.text).toContain(`href="/organiser/events/${eventId}/bookings.csv"`);
    });

    it('is linked from the dashboard', async () => {
      const page = await organiserA.get('/organiser');
      expect(page.text).toContain(`href="/organiser/events/${eventId}/bookings"`);
    });

    it('lets the organiser cancel a booking and redirects 303 back', async () => {
      const target = await buy(eventId, [3]);
      const before = await soldOf(eventId);
      const res = await cancelAsOrganiser(organiserA, eventId, target.reference);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/organiser/events/${eventId}/bookings`);
      expect((await statusOf(target.reference)).status).toBe('cancelled');
      expect(await soldOf(eventId)).toEqual([before[0] - 3, before[1]]);
    });

    it('answers 404 to another organiser', async () => {
      const page = await organiserB.get(`/organiser/events/${eventId}/bookings`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('Grace Hopper');
    });

    it("answers 404 to another organiser's cancel and changes nothing", async () => {
      const target = await buy(eventId);
      const res = await cancelAsOrganiser(organiserB, eventId, target.reference);
      expect(res.status).toBe(404);
      expect((await statusOf(target.reference)).status).toBe('confirmed');
    });

    it('answers 404 to a cancel of a booking of another event and changes nothing', async () => {
      const otherEventId = await newEvent({ title: 'Another night' });
      const target = await buy(otherEventId);
      const res = await cancelAsOrganiser(organiserA, eventId, target.reference);
      expect(res.status).toBe(404);
      expect((await statusOf(target.reference)).status).toBe('confirmed');
    });

    it('answers 404 for a non-numeric event id', async () => {
      const page = await organiserA.get('/organiser/events/abc/bookings');
      expect(page.status).toBe(404);
    });

    it("lets an admin see any organiser's bookings", async () => {
      const page = await admin.get(`/organiser/events/${eventId}/bookings`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(booking.reference);
    });

    it("lets an admin cancel any organiser's booking", async () => {
      const target = await buy(eventId);
      const res = await cancelAsOrganiser(admin, eventId, target.reference);
      expect(res.status).toBe(303);
      expect((await statusOf(target.reference)).status).toBe('cancelled');
    });

    it('answers 403 to a cancel without a CSRF token and changes nothing', async () => {
      const target = await buy(eventId);
      const res = await organiserA.post(
        `/organiser/events/${eventId}/bookings/${target.reference}/cancel`,
        {},
      );
      expect(res.status).toBe(403);
      expect((await statusOf(target.reference)).status).toBe('confirmed');
    });

    it('is not shown to a visitor who is not logged in', async () => {
      const page = await testApp.browser().get(`/organiser/events/${eventId}/bookings`);
      expect(page.status).not.toBe(200);
      expect(page.text).not.toContain('Grace Hopper');
    });
  });

  describe('the CSV export (GET /organiser/events/:id/bookings.csv)', () => {
    let eventId: number;
    let csv: string;
    /** The CSV line of a booking. */
    const lineOf = (booking: FormBooking) =>
      csv.split('\r\n').find((line) => line.startsWith(`"${booking.reference}",`));

    beforeAll(async () => {
      eventId = await newEvent({ title: 'CSV night' });
    });

    const download = () => organiserA.get(`/organiser/events/${eventId}/bookings.csv`);

    it('is served as an attached text/csv file in UTF-8', async () => {
      const res = await download();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment/);
    });

    it('starts with the header row', async () => {
      csv = (await download()).text;
      expect(csv.split('\r\n')[0]).toBe(
        '"reference","attendee_name","attendee_email","status","total","items","created_at","cancelled_at","checked_in_at","payment_method","paid_at","refunded","expires_at","date","voucher","seats"',
      );
    });

    it('has one row per booking, cancelled ones included', async () => {
      const kept = await buy(eventId, [2, 1]);
      const cancelled = await buy(eventId, [1]);
      await cancelAsAttendee(cancelled);
      csv = (await download()).text;
      expect(lineOf(kept)).toMatch(
        new RegExp(`^"${kept.reference}","Ada Lovelace","ada@example.com","confirmed","62.50",`),
      );
      // Paid at the door: not paid yet, nothing refunded, no hold.
      expect(lineOf(kept)).toMatch(/,"on_site",,"0\.00",,"\d{4}-\d\d-\d\dT[^"]+Z",,$/);
      expect(lineOf(cancelled)).toMatch(
        /,"cancelled","25\.00","1 x Full price","[^"]+","\d{4}-\d\d-\d\dT/,
      );
    });

    it('quotes a name with a comma and a quote, doubling the quote', async () => {
      const booking = await buy(eventId, [1], 'Lovelace, Ada "Countess"');
      csv = (await download()).text;
      expect(lineOf(booking)).toContain(',"Lovelace, Ada ""Countess""",');
    });

    it.each([
      ['=HYPERLINK("http://evil.example","x")', `,"'=HYPERLINK(""http://evil.example"",""x"")",`],
      ['+1', `,"'+1",`],
      ['-1', `,"'-1",`],
      ['@x', `,"'@x",`],
    ])('neutralises a name that would run as a formula: %s', async (name, cell) => {
      const booking = await buy(eventId, [1], name);
      csv = (await download()).text;
      expect(lineOf(booking)).toContain(cell);
    });

    it('quotes a name like x;=1+1;, so a spreadsheet set to ; keeps it one cell', async () => {
      const booking = await buy(eventId, [1], 'x;=1+1;');
      csv = (await download()).text;
      expect(lineOf(booking)).toContain(',"x;=1+1;",');
    });

    it('answers 404 to another organiser', async () => {
      const res = await organiserB.get(`/organiser/events/${eventId}/bookings.csv`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toMatch(/text\/csv/);
    });

    it("lets an admin download any organiser's export", async () => {
      const res = await admin.get(`/organiser/events/${eventId}/bookings.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    });
  });

  describe('under concurrency', () => {
    it('keeps sold equal to the confirmed items, within capacity, with no 5xx, when purchases and cancels interleave', async () => {
      const eventId = await newEvent({
        'ticketTypes[0][capacity]': '60',
        'ticketTypes[1][capacity]': '20',
      });
      const earlier: FormBooking[] = [];
      for (let i = 0; i < 30; i++) earlier.push(await buy(eventId, [1, i % 2]));
      const buyers = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const browser = testApp.browser();
          const page = await browser.get(`/buy-tickets/${eventId}`);
          return { browser, csrf: hiddenField(page.text, '_csrf') };
        }),
      );
      const cancellers = await Promise.all(
        earlier.map(async (booking) => {
          const browser = testApp.browser();
          const page = await browser.get(bookingPath(booking));
          return { browser, csrf: hiddenField(page.text, '_csrf'), booking };
        }),
      );
      const [typeA, typeB] = await ticketTypesOf(testApp, eventId);
      const purchases = buyers.map(({ browser, csrf }, i) =>
        browser.post(`/purchase/${eventId}`, {
          _csrf: csrf,
          idempotencyKey: `rush-${process.pid}-${i}`,
          attendeeName: 'Rush Buyer',
          attendeeEmail: 'rush@example.com',
          [`quantities[${typeA.id}]`]: 1 + (i % 2),
          [`quantities[${typeB.id}]`]: i % 3 === 0 ? 1 : 0,
        }),
      );
      const cancels = cancellers.map(({ browser, csrf, booking }, i) =>
        i % 3 === 0
          ? cancelAsOrganiser(organiserA, eventId, booking.reference)
          : browser.post(`/booking/${booking.reference}/cancel`, {
              _csrf: csrf,
              secret: booking.secret,
            }),
      );
      // Interleaved: after every fifth purchase, a cancel of an earlier booking.
      const responses = await Promise.all(
        purchases.flatMap((purchase, i) =>
          i % 5 === 0 && i / 5 < cancels.length ? [purchase, cancels[i / 5]] : [purchase],
        ),
      );

      expect(responses.filter((res) => res.status >= 500)).toEqual([]);
      expect(responses.every((res) => res.status === 303)).toBe(true);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
      const types = await ticketTypesOf(testApp, eventId);
      for (const type of types) expect(Number(type.sold)).toBeLessThanOrEqual(type.capacity);
      const cancelled = await Promise.all(earlier.map((booking) => statusOf(booking.reference)));
      expect(cancelled.every((stored) => stored.status === 'cancelled')).toBe(true);
    }, 60_000);
  });
});
