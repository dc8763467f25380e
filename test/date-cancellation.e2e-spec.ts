import request from 'supertest';
import { SoldOutError, SalesClosedError } from '../src/bookings/booking.errors';
import { UsersService } from '../src/auth/users.service';
import { BookingService } from '../src/bookings/booking.service';
import { CancelledDateBookings } from '../src/bookings/cancelled-date-bookings';
import { EventDatesService } from '../src/events/dates/event-dates.service';
import { PAY_AT_THE_DOOR } from '../src/bookings/payment-plan';
import { InvalidFieldError } from '../src/common/forms/invalid-field.error';
import {
  createApiToken,
  insertEvent,
  register,
  soldMatchesBookedItems,
  startTestApp,
  TestApp,
} from './support/test-app';

interface DateJson {
  id: number;
  status: string;
  ticketTypes: { sold: number; remaining: number }[];
}

/*
 * PRODUCT.md "Dates": cancelling a date with bookings cancels them, refunds the paid ones in
 * full and mails each attendee, exactly once, however often cancel is pressed and whatever
 * buyers are doing at that moment.
 */
describe('cancelling a date', () => {
  let testApp: TestApp;
  let token: string;
  const api = () => request(testApp.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    testApp = await startTestApp();
    const admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(() => testApp.close());

  /** An event with a type of `capacity` on two dates: its first, and one added; answers both ids. */
  async function twoDates(capacity: number) {
    const { eventId, ticketTypeIds } = await insertEvent(testApp, { ticketTypes: [{ capacity }] });
    const [{ id: first }] = (await event(eventId)).dates;
    const added = await api()
      .post(`/api/v1/events/${eventId}/dates`)
      .set(auth())
      .send({ startsAt: inDays(45) })
      .expect(201);
    return {
      eventId,
      ticketTypeId: ticketTypeIds[0],
      first,
      second: added.body.data[0].id as number,
    };
  }

  async function event(eventId: number): Promise<{ dates: DateJson[] }> {
    const res = await api().get(`/api/v1/events/${eventId}`).set(auth());
    return res.body as { dates: DateJson[] };
  }

  const apiBooking = (eventId: number, ticketTypeId: number, dateId: number, email: string) =>
    api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Paid Pat',
        attendeeEmail: email,
        dateId,
        items: [{ ticketTypeId, quantity: 2 }],
      })
      .expect(201);

  const doorBooking = (eventId: number, ticketTypeId: number, dateId: number, email: string) =>
    testApp.app.get(BookingService).book(
      eventId,
      {
        attendeeName: 'Door Dora',
        attendeeEmail: email,
        dateId,
        lines: [{ ticketTypeId, quantity: 1 }],
      },
      PAY_AT_THE_DOOR,
    );

  const cancel = (eventId: number, dateId: number) =>
    api().post(`/api/v1/events/${eventId}/dates/${dateId}/cancel`).set(auth());

  const mails = (reference: string) =>
    testApp.sql<{ kind: string }[]>(
      'SELECT o.kind FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.reference = ? ORDER BY o.id',
      [reference],
    );

  it('cancels the unpaid, refunds the paid in full, mails each, and leaves the other date alone', async () => {
    const { eventId, ticketTypeId, first, second } = await twoDates(10);
    const paid = (await apiBooking(eventId, ticketTypeId, first, 'paid@example.com')).body;
    const door = await doorBooking(eventId, ticketTypeId, first, 'door@example.com');
    const other = await doorBooking(eventId, ticketTypeId, second, 'other@example.com');

    const res = await cancel(eventId, first);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: first,
      status: 'cancelled',
      bookingsCancelled: 1,
      bookingsRefunded: 1,
      refundsFailed: [],
      ticketTypes: [{ sold: 0 }],
    });
    const after = async (reference: string) =>
      (await api().get(`/api/v1/bookings/${reference}`).set(auth())).body as {
        status: string;
        refundedCents: number;
        totalCents: number;
      };
    const paidAfter = await after(paid.reference);
    expect(paidAfter.status).toBe('cancelled');
    expect(paidAfter.refundedCents).toBe(paidAfter.totalCents);
    expect((await after(door.reference)).status).toBe('cancelled');
    expect((await after(other.reference)).status).toBe('confirmed');
    expect((await mails(paid.reference)).map((mail) => mail.kind)).toContain('booking.refunded');
    expect((await mails(door.reference)).map((mail) => mail.kind)).toContain('booking.cancelled');
    expect((await mails(other.reference)).map((mail) => mail.kind)).not.toContain(
      'booking.cancelled',
    );
    const dates = (await event(eventId)).dates;
    expect(dates.find((date) => date.id === second)!.ticketTypes[0]).toMatchObject({
      sold: 1,
      remaining: 9,
    });
    expect(await soldMatchesBookedItems(testApp)).toBe(true);

    const again = await cancel(eventId, first);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'cancelled',
      bookingsCancelled: 0,
      bookingsRefunded: 0,
    });
    const [{ n }] = await testApp.sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM refunds r JOIN bookings b ON b.id = r.booking_id WHERE b.reference = ?',
      [paid.reference],
    );
    expect(Number(n)).toBe(1);
  });

  it('sells the cancelled date no more: a booking for it is refused, naming the date', async () => {
    const { eventId, ticketTypeId, first } = await twoDates(10);
    await cancel(eventId, first).expect(200);
    const res = await api()
      .post(`/api/v1/events/${eventId}/bookings`)
      .set(auth())
      .send({
        attendeeName: 'Late',
        attendeeEmail: 'late@example.com',
        dateId: first,
        items: [{ ticketTypeId, quantity: 1 }],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'dateId', message: 'This date has been cancelled.' },
    ]);
  });

  it('lets go of what vouchers hold and lapses the waiting list of the cancelled date', async () => {
    const { eventId, ticketTypeId, first, second } = await twoDates(2);
    await api()
      .post(`/api/v1/events/${eventId}/vouchers`)
      .set(auth())
      .send({
        code: 'HELD-FIRST',
        maxUsages: 1,
        ticketTypeId,
        reservesCapacity: true,
        dateId: first,
      })
      .expect(201);
    await doorBooking(eventId, ticketTypeId, first, 'one@example.com');
    const join = testApp.browser();
    const form = await join.get(`/event/${eventId}/waiting-list?date=${first}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const joined = await join.post(`/event/${eventId}/waiting-list`, {
      _csrf: csrf,
      dateId: String(first),
      ticketTypeId: String(ticketTypeId),
      quantity: '1',
      name: 'Wendy',
      email: 'wendy@example.com',
    });
    expect(joined.status).toBe(303);
    await cancel(eventId, first).expect(200);
    const stock = await testApp.sql<
      { date_id: number; sold: number; reserved: number; waiting: number }[]
    >(
      'SELECT date_id, sold, reserved, waiting FROM date_inventory WHERE ticket_type_id = ? ORDER BY date_id',
      [ticketTypeId],
    );
    expect(
      stock.map((row) => [row.date_id, row.sold, row.reserved, row.waiting].map(Number)),
    ).toEqual([
      [first, 0, 0, 0],
      [second, 0, 0, 0],
    ]);
    const [type] = await testApp.sql<{ sold: number; reserved: number; waiting: number }[]>(
      'SELECT sold, reserved, waiting FROM ticket_types WHERE id = ?',
      [ticketTypeId],
    );
    expect([type.sold, type.reserved, type.waiting].map(Number)).toEqual([0, 0, 0]);
    const [entry] = await testApp.sql<{ status: string }[]>(
      "SELECT status FROM waiting_list_entries WHERE email = 'wendy@example.com'",
    );
    expect(entry.status).toBe('lapsed');
  });

  it('confirms no booking after the cancel while 200 buyers buy and cancel is pressed twice, and loses none', async () => {
    const { eventId, ticketTypeId, first } = await twoDates(100);
    const service = testApp.app.get(BookingService);
    const buying = Array.from({ length: 200 }, (_, n) =>
      service
        .book(
          eventId,
          {
            attendeeName: `Buyer ${n}`,
            attendeeEmail: `b${n}@example.com`,
            dateId: first,
            lines: [{ ticketTypeId, quantity: 1 }],
          },
          n % 2 === 0 ? PAY_AT_THE_DOOR : { confirmAs: 'manual' },
        )
        .then(
          (booking) => ({ booking }),
          (error: unknown) => ({ error }),
        ),
    );
    const presses = [cancel(eventId, first), cancel(eventId, first)];
    const outcomes = await Promise.all(buying);
    const answers = await Promise.all(presses);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    // A booking refused: the date was cancelled (or sold out); nothing else.
    for (const outcome of outcomes) {
      if ('error' in outcome)
        expect(
          outcome.error instanceof InvalidFieldError ||
            outcome.error instanceof SalesClosedError ||
            outcome.error instanceof SoldOutError,
        ).toBe(true);
    }
    // Bookings that went through before the cancel are ended by it; none came after: none is open.
    const open = await testApp.sql<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM bookings WHERE date_id = ? AND status IN ('pending', 'confirmed')",
      [first],
    );
    expect(Number(open[0].n)).toBe(0);
    const made = outcomes.filter((outcome) => 'booking' in outcome).length;
    const [{ n: stored }] = await testApp.sql<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM bookings WHERE date_id = ? AND status = 'cancelled'",
      [first],
    );
    expect(Number(stored)).toBe(made);
    const twice = await testApp.sql<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM refunds GROUP BY booking_id HAVING COUNT(*) > 1',
    );
    expect(twice).toEqual([]);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });

  it('ends the bookings a stopped process left open on a cancelled date, in the background', async () => {
    const { eventId, ticketTypeId, first } = await twoDates(10);
    const paid = (await apiBooking(eventId, ticketTypeId, first, 'left@example.com')).body;
    const door = await doorBooking(eventId, ticketTypeId, first, 'door-left@example.com');
    // The date's own change only, as a process stopped right after it would leave it.
    const [owner] = await testApp.sql<{ id: number }[]>(
      'SELECT organiser_id AS id FROM events WHERE id = ?',
      [eventId],
    );
    const organiser = (await testApp.app.get(UsersService).findSessionUser(Number(owner.id)))!;
    await testApp.app.get(EventDatesService).cancel(organiser, eventId, first);
    const status = async (reference: string) =>
      (
        await testApp.sql<{ status: string }[]>('SELECT status FROM bookings WHERE reference = ?', [
          reference,
        ])
      )[0].status;
    expect(await status(door.reference)).toBe('confirmed');

    expect(await testApp.app.get(CancelledDateBookings).endWhatIsLeft()).toBe(2);
    expect(await status(door.reference)).toBe('cancelled');
    expect(await status(paid.reference)).toBe('cancelled');
    expect(await testApp.app.get(CancelledDateBookings).endWhatIsLeft()).toBe(0);
    expect(await soldMatchesBookedItems(testApp)).toBe(true);
  });
});
