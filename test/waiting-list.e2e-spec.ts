import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BookingPaymentsService } from '../src/bookings/booking-payments.service';
import { BookingService } from '../src/bookings/booking.service';
import { HoldSweeper } from '../src/bookings/hold-sweeper';
import { VoucherSweeper } from '../src/vouchers/voucher-sweeper';
import { WaitingListOffers } from '../src/waiting-list/waiting-list-offers';
import { eventually } from './support/eventually';
import { decodeQuotedPrintable } from './support/quoted-printable';
import {
  Browser,
  createApiToken,
  FormFields,
  hiddenField,
  insertEvent,
  organiserOf,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
  timestampParam,
  writeSql,
  giveEventTo,
} from './support/test-app';

/** PRODUCT.md "Selling tools": the waiting list, and freed tickets offered to it in order, once each. */
describe('the waiting list', () => {
  let testApp: TestApp;
  let token: string;
  let outboxDir: string;
  let people = 0;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'boxoffice-waiting-list-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    await testApp.app.listen(0);
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(async () => {
    await testApp?.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  /** An event whose one type is sold out to bookings made through the API; answers them. */
  async function soldOutEvent(capacity: number, bookings = capacity, extra = {}) {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, {
      ticketTypes: [{ name: 'Standing', capacity, ...extra }],
    });
    const references: string[] = [];
    for (let i = 0; i < bookings; i++) {
      const res = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: `Holder ${i}`,
          attendeeEmail: `holder${i}@example.com`,
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: capacity / bookings }],
        });
      if (res.status !== 201) throw new Error(`booking failed: ${res.status}`);
      references.push(res.body.reference as string);
    }
    return { eventId, ticketTypeId: ticketTypeIds[0], references };
  }

  async function joinQueue(eventId: number, fields: FormFields, browser = testApp.browser()) {
    const page = await browser.get(`/event/${eventId}/waiting-list`);
    const csrf = page.text.includes('name="_csrf"')
      ? hiddenField(page.text, '_csrf')
      : await browser.csrfToken();
    return browser.post(`/event/${eventId}/waiting-list`, { _csrf: csrf, ...fields });
  }

  const someone = (ticketTypeId: number, quantity = 1) => {
    const n = ++people;
    return { ticketTypeId, quantity, name: `Waiting ${n}`, email: `Waiting${n}@Example.com` };
  };

  const entries = (eventId: number) =>
    testApp.sql<
      { id: number; email: string; status: string; quantity: number; voucher_id: number | null }[]
    >(
      'SELECT id, email, status, quantity, voucher_id FROM waiting_list_entries WHERE event_id = ? ORDER BY id',
      [eventId],
    );
  const counters = async (ticketTypeId: number) => {
    const [row] = await testApp.sql<
      { sold: number; reserved: number; waiting: number; capacity: number }[]
    >('SELECT sold, reserved, waiting, capacity FROM ticket_types WHERE id = ?', [ticketTypeId]);
    return {
      sold: Number(row.sold),
      reserved: Number(row.reserved),
      waiting: Number(row.waiting),
      capacity: Number(row.capacity),
    };
  };
  const cancel = (reference: string) =>
    api().post(`/api/v1/bookings/${reference}/cancel`).set(auth());
  const offersMade = () => testApp.app.get(WaitingListOffers).offerFreedTickets();

  const offerMails = () =>
    readdirSync(outboxDir)
      .filter((name) => name.endsWith('waiting_list.offered.eml'))
      .map((name) => decodeQuotedPrintable(readFileSync(join(outboxDir, name), 'utf8')));

  describe('joining', () => {
    it('is offered on the event page of a sold-out type, and puts the buyer in the queue with their place', async () => {
      const { eventId, ticketTypeId } = await soldOutEvent(2);
      const page = await testApp.browser().get(`/event/${eventId}`);
      expect(page.text).toContain(`/event/${eventId}/waiting-list?ticketType=${ticketTypeId}`);
      const browser = testApp.browser();
      await joinQueue(eventId, someone(ticketTypeId), browser);
      const res = await joinQueue(eventId, someone(ticketTypeId, 2), browser);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/event/${eventId}/waiting-list/joined`);
      const joined = await browser.get(res.headers.location);
      expect(joined.text).toContain('You are number 2 on the waiting list');
      const rows = await entries(eventId);
      expect(rows.map((row) => [row.status, row.quantity])).toEqual([
        ['waiting', 1],
        ['waiting', 2],
      ]);
      expect(rows[0].email).toMatch(/^waiting\d+@example\.com$/);
      expect((await counters(ticketTypeId)).waiting).toBe(2);
    });

    it('refuses (409) a type the public can still buy: buy instead', async () => {
      const { eventId, ticketTypeId } = await soldOutEvent(2, 1, { capacity: 3 });
      const res = await joinQueue(eventId, someone(ticketTypeId));
      expect(res.status).toBe(409);
      expect(res.text).toContain('still has tickets left');
      expect(await entries(eventId)).toEqual([]);
      expect((await counters(ticketTypeId)).waiting).toBe(0);
    });

    it('refuses the same email twice for one type (409)', async () => {
      const { eventId, ticketTypeId } = await soldOutEvent(1);
      const first = someone(ticketTypeId);
      expect((await joinQueue(eventId, first)).status).toBe(303);
      const again = await joinQueue(eventId, { ...first, email: first.email.toUpperCase() });
      expect(again.status).toBe(409);
      expect(again.text).toContain('already on the waiting list');
      expect(await entries(eventId)).toHaveLength(1);
      expect((await counters(ticketTypeId)).waiting).toBe(1);
    });

    const badFields: [string, (ticketTypeId: number) => FormFields, string][] = [
      ['a quantity of 0', (id) => ({ ...someone(id), quantity: '0' }), 'quantity'],
      ['a quantity of 101', (id) => ({ ...someone(id), quantity: '101' }), 'quantity'],
      ['a quantity as text', (id) => ({ ...someone(id), quantity: 'two' }), 'quantity'],
      [
        'a quantity above the type’s maximum',
        (id) => ({ ...someone(id), quantity: '5' }),
        'quantity',
      ],
      ['no name', (id) => ({ ...someone(id), name: '' }), 'name'],
      ['a name with a line break', (id) => ({ ...someone(id), name: 'Ada\nLovelace' }), 'name'],
      ['a bad email', (id) => ({ ...someone(id), email: 'not-an-email' }), 'email'],
      ['a ticket type of no event', () => ({ ...someone(999999) }), 'ticketTypeId'],
      ['no ticket type', (id) => ({ ...someone(id), ticketTypeId: '' }), 'ticketTypeId'],
    ];

    it.each(badFields)(
      'refuses %s with 422, the form again, nothing stored',
      async (_, fields, field) => {
        const { eventId, ticketTypeId } = await soldOutEvent(1, 1, { maxPerOrder: 4 });
        const res = await joinQueue(eventId, fields(ticketTypeId));
        expect(res.status).toBe(422);
        expect(new RegExp(`id="${field}-error">[^<]+<`).test(res.text)).toBe(true);
        expect(await entries(eventId)).toEqual([]);
        expect((await counters(ticketTypeId)).waiting).toBe(0);
      },
    );

    it('offers no waiting list for a hidden type', async () => {
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 1, hidden: true }],
      });
      const res = await joinQueue(eventId, someone(ticketTypeIds[0]));
      expect(res.status).toBe(422);
      expect(await entries(eventId)).toEqual([]);
    });
  });

  describe('offers', () => {
    it('offers a freed ticket to the oldest entry (not the public), mails the link, and the link buys it', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(2);
      const first = someone(ticketTypeId);
      await joinQueue(eventId, first);
      await joinQueue(eventId, someone(ticketTypeId));
      expect((await cancel(references[0])).status).toBe(200);
      await eventually(async () => (await entries(eventId))[0].status === 'offered', 'the offer');
      const [offered, next] = await entries(eventId);
      expect(next.status).toBe('waiting');
      expect(await counters(ticketTypeId)).toEqual({
        sold: 1,
        reserved: 1,
        waiting: 1,
        capacity: 2,
      });

      // The public sees it sold out and cannot buy it.
      const page = await testApp.browser().get(`/buy-tickets/${eventId}`);
      expect(page.text).toContain('sold out');
      const publicBuy = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send({
          attendeeName: 'Public',
          attendeeEmail: 'public@example.com',
          items: [{ ticketTypeId, quantity: 1 }],
        });
      expect(publicBuy.status).toBe(409);

      const mail = await eventually(
        () => offerMails().find((text) => text.includes(first.email.toLowerCase())),
        'the offer mail',
      );
      const [{ code }] = await testApp.sql<{ code: string }[]>(
        'SELECT code FROM vouchers WHERE id = ?',
        [offered.voucher_id],
      );
      expect(mail).toContain(`/buy-tickets/${eventId}?voucher=${code}`);
      expect(mail).toMatch(/Subject: Tickets for .* are held for you/);

      const browser = testApp.browser();
      const form = await browser.get(`/buy-tickets/${eventId}?voucher=${code}`);
      expect(form.text).toContain('Code applied');
      const bought = await browser.post(`/purchase/${eventId}`, {
        _csrf: hiddenField(form.text, '_csrf'),
        idempotencyKey: hiddenField(form.text, 'idempotencyKey'),
        attendeeName: first.name,
        attendeeEmail: first.email,
        voucher: code,
        [`quantities[${ticketTypeId}]`]: '1',
      });
      expect(bought.status).toBe(303);
      expect(await counters(ticketTypeId)).toEqual({
        sold: 2,
        reserved: 0,
        waiting: 1,
        capacity: 2,
      });
      const list = await api().get(`/api/v1/events/${eventId}/waiting-list`).set(auth());
      expect(list.body.data[0]).toMatchObject({
        status: 'redeemed',
        voucherCode: code,
        quantity: 1,
        ticketTypeId,
      });
      expect(list.body.data[1]).toMatchObject({
        status: 'waiting',
        voucherCode: null,
        offeredAt: null,
      });
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('uses an offer once: what its holder does not buy goes to the next entry, and the code is spent', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(2);
      await joinQueue(eventId, someone(ticketTypeId, 2));
      await joinQueue(eventId, someone(ticketTypeId, 1));
      await cancel(references[0]);
      await cancel(references[1]);
      await eventually(async () => (await entries(eventId))[0].status === 'offered', 'the offer');
      const [offer] = await entries(eventId);
      const [{ code }] = await testApp.sql<{ code: string }[]>(
        'SELECT code FROM vouchers WHERE id = ?',
        [offer.voucher_id],
      );
      const order = (quantity: number) => ({
        attendeeName: 'Holder',
        attendeeEmail: 'holder@example.com',
        voucherCode: code,
        items: [{ ticketTypeId, quantity }],
      });
      const bought = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(order(1));
      expect(bought.status).toBe(201);
      expect(await counters(ticketTypeId)).toMatchObject({ sold: 1, reserved: 0, waiting: 1 });
      await offersMade();
      expect((await entries(eventId)).map((row) => row.status)).toEqual(['offered', 'offered']);
      expect(await counters(ticketTypeId)).toMatchObject({ sold: 1, reserved: 1, waiting: 0 });
      const again = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(auth())
        .send(order(1));
      expect(again.status).toBe(409);
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('never skips the head of the queue for a smaller entry behind it', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(4);
      await joinQueue(eventId, someone(ticketTypeId, 2));
      await joinQueue(eventId, someone(ticketTypeId, 1));
      await cancel(references[0]);
      await offersMade();
      expect((await entries(eventId)).map((row) => row.status)).toEqual(['waiting', 'waiting']);
      await cancel(references[1]);
      await eventually(
        async () => (await entries(eventId))[0].status === 'offered',
        'the offer to the head',
      );
      expect((await entries(eventId)).map((row) => row.status)).toEqual(['offered', 'waiting']);
      expect(await counters(ticketTypeId)).toMatchObject({ sold: 2, reserved: 2, waiting: 1 });
    });

    it('passes a lapsed offer’s tickets to the next entry', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(1);
      await joinQueue(eventId, someone(ticketTypeId));
      await joinQueue(eventId, someone(ticketTypeId));
      await cancel(references[0]);
      await eventually(
        async () => (await entries(eventId))[0].status === 'offered',
        'the first offer',
      );
      await writeSql(testApp, 'UPDATE vouchers SET valid_until = ? WHERE id = ?', [
        timestampParam(testApp, new Date(Date.now() - 1000)),
        (await entries(eventId))[0].voucher_id,
      ]);
      await eventually(
        async () => (await entries(eventId))[1].status === 'offered',
        'the second offer',
      );
      expect((await entries(eventId)).map((row) => row.status)).toEqual(['lapsed', 'offered']);
      expect(await counters(ticketTypeId)).toMatchObject({ sold: 0, reserved: 1, waiting: 0 });
    });

    it('offers tickets freed by raising the capacity', async () => {
      const { eventId, ticketTypeId } = await soldOutEvent(1);
      await joinQueue(eventId, someone(ticketTypeId, 2));
      const res = await api()
        .patch(`/api/v1/events/${eventId}`)
        .set(auth())
        .send({
          ticketTypes: [{ id: ticketTypeId, name: 'Standing', priceCents: 1000, capacity: 3 }],
        });
      expect(res.status).toBe(200);
      await eventually(async () => (await entries(eventId))[0].status === 'offered', 'the offer');
      expect(await counters(ticketTypeId)).toMatchObject({
        sold: 1,
        reserved: 2,
        waiting: 0,
        capacity: 3,
      });
    });

    /**
     * Two people queue for a sold-out single ticket; it comes free and is offered to the first,
     * who holds it while paying with the offer's code; then the offer's time and the hold's
     * both run out. Answers the pending booking's reference.
     */
    async function offerHeldAsItLapses(eventId: number, ticketTypeId: number, first: string) {
      await joinQueue(eventId, someone(ticketTypeId));
      await joinQueue(eventId, someone(ticketTypeId));
      await cancel(first);
      await eventually(async () => (await entries(eventId))[0].status === 'offered', 'the offer');
      const [offer] = await entries(eventId);
      const [{ code }] = await testApp.sql<{ code: string }[]>(
        'SELECT code FROM vouchers WHERE id = ?',
        [offer.voucher_id],
      );
      const held = await testApp.app.get(BookingService).book(
        eventId,
        {
          attendeeName: 'Holder',
          attendeeEmail: 'holder@example.com',
          voucherCode: code,
          lines: [{ ticketTypeId, quantity: 1 }],
        },
        { hold: 'until_chosen' },
      );
      const past = timestampParam(testApp, new Date(Date.now() - 1000));
      await writeSql(testApp, 'UPDATE vouchers SET valid_until = ? WHERE id = ?', [
        past,
        offer.voucher_id,
      ]);
      await writeSql(testApp, 'UPDATE bookings SET expires_at = ? WHERE reference = ?', [
        past,
        held.reference,
      ]);
      return held.reference;
    }

    it('passes the tickets on once when an offer lapses while its holder’s unpaid hold lapses too', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(1);
      const reference = await offerHeldAsItLapses(eventId, ticketTypeId, references[0]);
      await Promise.all([testApp.app.get(VoucherSweeper).sweep(), offersMade()]);
      await eventually(
        async () => (await entries(eventId))[1].status === 'offered',
        'the next offer',
      );
      const booking = await testApp.app.get(BookingService).findByReference(reference);
      expect(booking.status).toBe('expired');
      expect(await counters(ticketTypeId)).toMatchObject({ sold: 0, reserved: 1, waiting: 0 });
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });

    it('gives one outcome when the holder pays as the offer and the hold lapse: paid and kept, or expired and passed on', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(1);
      const reference = await offerHeldAsItLapses(eventId, ticketTypeId, references[0]);
      const organiser = await organiserOf(testApp, eventId);
      const outcomes = await Promise.allSettled([
        testApp.app.get(BookingPaymentsService).markPaid(organiser, reference),
        testApp.app.get(VoucherSweeper).sweep(),
        testApp.app.get(HoldSweeper).sweep(),
        offersMade(),
      ]);
      // Marking paid may lose to the expiry: then it is refused, as its tickets are gone.
      const refusals = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refusals.filter((outcome) => !/sold again/.test(String(outcome.reason)))).toEqual([]);
      await testApp.app.get(VoucherSweeper).sweep();
      await offersMade();
      const booking = await testApp.app.get(BookingService).findByReference(reference);
      const next = (await entries(eventId))[1];
      if (booking.status === 'confirmed') {
        expect(next.status).toBe('waiting');
        expect(await counters(ticketTypeId)).toMatchObject({ sold: 1, reserved: 0, waiting: 1 });
      } else {
        expect(booking.status).toBe('expired');
        expect(next.status).toBe('offered');
        expect(await counters(ticketTypeId)).toMatchObject({ sold: 0, reserved: 1, waiting: 0 });
      }
      expect(await soldMatchesBookedItems(testApp)).toBe(true);
    });
  });

  describe('for organisers', () => {
    let organiser: Browser;
    let organiserEmail: string;
    beforeAll(async () => {
      organiser = testApp.browser();
      organiserEmail = await register(organiser);
    });

    it('lists the entries and removes one, which leaves the queue', async () => {
      const { eventId, ticketTypeId } = await soldOutEvent(1);
      await giveEventTo(testApp, eventId, organiserEmail);
      const entry = someone(ticketTypeId);
      await joinQueue(eventId, entry);
      const page = await organiser.get(`/organiser/events/${eventId}/waiting-list`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(entry.email.toLowerCase());
      const dashboard = await organiser.get('/organiser');
      expect(dashboard.text).toMatch(/data-waiting>1 on the waiting list</);
      const [{ id }] = await entries(eventId);
      const res = await organiser.submit(
        `/organiser/waiting-list/${id}/remove`,
        {},
        `/organiser/events/${eventId}/waiting-list`,
      );
      expect(res.status).toBe(303);
      expect(await entries(eventId)).toEqual([]);
      expect((await counters(ticketTypeId)).waiting).toBe(0);
      const audit = await testApp.sql<{ action: string }[]>(
        "SELECT action FROM audit_log WHERE action LIKE 'waiting-list.%' AND subject LIKE ? ORDER BY id",
        [`event ${eventId} %`],
      );
      expect(audit.map((entry) => entry.action)).toEqual([
        'waiting-list.joined',
        'waiting-list.removed',
      ]);
      const stranger = testApp.browser();
      await register(stranger);
      expect((await stranger.get(`/organiser/events/${eventId}/waiting-list`)).status).toBe(404);
    });
  });

  describe('under concurrency', () => {
    it('offers 100 tickets cancelled at once to exactly the first 100 of a queue of 200, each once', async () => {
      const { eventId, ticketTypeId, references } = await soldOutEvent(100);
      for (let i = 0; i < 200; i++) {
        const res = await joinQueue(eventId, someone(ticketTypeId));
        if (res.status !== 303) throw new Error(`join ${i} failed: ${res.status}`);
      }
      const answers = await Promise.all([
        ...references.map((reference) => cancel(reference)),
        ...Array.from({ length: 5 }, () => offersMade()),
      ]);
      expect(
        answers.filter((answer) => typeof answer !== 'number' && answer.status >= 500),
      ).toEqual([]);
      await eventually(
        async () => (await counters(ticketTypeId)).reserved === 100,
        'every freed ticket offered',
      );
      const rows = await entries(eventId);
      expect(rows.slice(0, 100).every((row) => row.status === 'offered')).toBe(true);
      expect(rows.slice(100).every((row) => row.status === 'waiting')).toBe(true);
      expect(new Set(rows.slice(0, 100).map((row) => row.voucher_id)).size).toBe(100);
      expect(await counters(ticketTypeId)).toEqual({
        sold: 0,
        reserved: 100,
        waiting: 100,
        capacity: 100,
      });
      const [{ held }] = await testApp.sql<{ held: number }[]>(
        'SELECT SUM(held) AS held FROM vouchers WHERE ticket_type_id = ?',
        [ticketTypeId],
      );
      expect(Number(held)).toBe(100);
    });
  });
});
