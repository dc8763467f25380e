import request from 'supertest';
import { BookingService } from '../../src/bookings/booking.service';
import { PAY_AT_THE_DOOR } from '../../src/bookings/payment-plan';
import { WaitingListOffers } from '../../src/waiting-list/waiting-list-offers';
import { WaitingListService } from '../../src/waiting-list/waiting-list.service';
import { eventually } from '../support/eventually';
import { createApiToken, insertEvent, register, TestApp } from '../support/test-app';
import { AppPair, startAppPair } from '../support/app-pair';

/*
 * Two app processes on one PostgreSQL database, each making waiting-list offers on its own (at
 * once for what it frees, every few seconds for the rest), while cancellations land on both:
 * every freed ticket is offered to exactly one entry, in queue order, and mailed once.
 */
describe('waiting-list offers across two app processes (PostgreSQL)', () => {
  let pair: AppPair;
  let apps: TestApp[];
  let token: string;

  beforeAll(async () => {
    pair = await startAppPair();
    ({ apps } = pair);
    const admin = apps[0].browser();
    await register(admin);
    token = await createApiToken(admin);
  }, 60_000);
  afterAll(() => pair.close());

  it('offers 100 tickets cancelled at once on both processes to exactly the first 100 of a queue of 200', async () => {
    const {
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await insertEvent(apps[0], { ticketTypes: [{ capacity: 100 }] });
    const bookings = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        apps[i % 2].app.get(BookingService).book(
          eventId,
          {
            attendeeName: `Holder ${i}`,
            attendeeEmail: `holder${i}@example.com`,
            lines: [{ ticketTypeId, quantity: 1 }],
          },
          PAY_AT_THE_DOOR,
        ),
      ),
    );
    // Joined one after the other, so the queue's order is known: entry i is the i-th to join.
    const queue: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { entry } = await apps[i % 2].app.get(WaitingListService).join(eventId, {
        ticketTypeId,
        quantity: 1,
        name: `Waiting ${i}`,
        email: `waiting${i}@example.com`,
      });
      queue.push(entry.id);
    }

    const answers = await Promise.all([
      ...bookings.map((booking, i) =>
        request(apps[i % 2].app.getHttpServer())
          .post(`/api/v1/bookings/${booking.reference}/cancel`)
          .set('Authorization', `Bearer ${token}`),
      ),
      ...apps.map((app) => app.app.get(WaitingListOffers).offerFreedTickets()),
    ]);
    expect(answers.filter((answer) => typeof answer !== 'number' && answer.status !== 200)).toEqual(
      [],
    );
    await eventually(async () => {
      const [{ reserved }] = await apps[0].sql<{ reserved: number }[]>(
        'SELECT reserved FROM ticket_types WHERE id = ?',
        [ticketTypeId],
      );
      return Number(reserved) === 100;
    }, 'every freed ticket offered');

    const entries = await apps[0].sql<{ id: number; status: string; voucher_id: number | null }[]>(
      'SELECT id, status, voucher_id FROM waiting_list_entries WHERE ticket_type_id = ? ORDER BY id',
      [ticketTypeId],
    );
    const offered = entries.filter((entry) => entry.status === 'offered').map((entry) => entry.id);
    expect(offered).toEqual(queue.slice(0, 100));
    expect(entries.filter((entry) => entry.status === 'waiting')).toHaveLength(100);
    expect(new Set(entries.map((entry) => entry.voucher_id).filter(Boolean)).size).toBe(100);
    const [type] = await apps[0].sql<{ sold: number; reserved: number; waiting: number }[]>(
      'SELECT sold, reserved, waiting FROM ticket_types WHERE id = ?',
      [ticketTypeId],
    );
    expect([type.sold, type.reserved, type.waiting].map(Number)).toEqual([0, 100, 100]);
    const [mails] = await apps[0].sql<{ rows: number; entries: number }[]>(
      "SELECT COUNT(*) AS rows, COUNT(DISTINCT waiting_list_entry_id) AS entries FROM outbox WHERE kind = 'waiting_list.offered' AND event_id = ?",
      [eventId],
    );
    expect([Number(mails.rows), Number(mails.entries)]).toEqual([100, 100]);
  });
});
