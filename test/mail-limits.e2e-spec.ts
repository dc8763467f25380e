import { Logger } from '@nestjs/common';
import { BookingService } from '../src/bookings/booking.service';
import { eventually } from './support/eventually';
import { insertEvent, startTestApp, TestApp } from './support/test-app';
import { PAY_AT_THE_DOOR } from '../src/bookings/payment-plan';

interface OutboxRow {
  recipient: string;
  sent_at: unknown;
  suppressed_at: unknown;
  suppressed_reason: string | null;
  attempts: number;
  next_attempt_at: string | Date;
}

/*
 * No mail bombs and no spam relay (PRODUCT.md "Abuse limits"): one address gets at most
 * MAILS_PER_RECIPIENT_PER_HOUR mails (the rest are kept, suppressed, never sent), and one
 * event's mails go out at most MAILS_PER_EVENT_PER_MINUTE a minute (the rest wait).
 */
/** A timestamp as the database gives it back: a Date (PostgreSQL) or UTC text (SQLite). */
const storedTime = (value: string | Date) =>
  value instanceof Date ? value.getTime() : new Date(`${value.replace(' ', 'T')}Z`).getTime();

describe('mail limits', () => {
  let testApp: TestApp;

  const rows = (eventId: number) =>
    testApp.sql<OutboxRow[]>(
      'SELECT recipient, sent_at, suppressed_at, suppressed_reason, attempts, next_attempt_at FROM outbox WHERE event_id = ? ORDER BY id',
      [eventId],
    );
  const book = (eventId: number, ticketTypeId: number, attendeeEmail: string) =>
    testApp.app.get(BookingService).book(
      eventId,
      {
        attendeeName: 'Someone',
        attendeeEmail,
        lines: [{ ticketTypeId, quantity: 1 }],
      },
      PAY_AT_THE_DOOR,
    );

  describe('per recipient, at the default cap of 20 an hour', () => {
    const warnings: string[] = [];
    let eventId: number;
    let mails: OutboxRow[];

    beforeAll(async () => {
      jest
        .spyOn(Logger.prototype, 'warn')
        .mockImplementation((message: unknown) => void warnings.push(String(message)));
      testApp = await startTestApp({ MAILS_PER_RECIPIENT_PER_HOUR: '20' });
      const seeded = await insertEvent(testApp, { ticketTypes: [{ capacity: 1000 }] });
      eventId = seeded.eventId;
      // The mail-bomb loop: 30 bookings (and their confirmations) for one victim.
      for (let i = 0; i < 30; i++) {
        await book(
          eventId,
          seeded.ticketTypeIds[0],
          i % 2 ? 'Victim@Example.org' : 'victim@example.org',
        );
      }
      mails = await eventually(async () => {
        const all = await rows(eventId);
        return all.every((row) => row.sent_at || row.suppressed_at) ? all : undefined;
      }, 'every mail sent or suppressed');
    });
    afterAll(async () => {
      jest.restoreAllMocks();
      await testApp.close();
    });

    it('sends the victim 20 mails, whatever the case of the address', () => {
      expect(mails.filter((row) => row.sent_at)).toHaveLength(20);
    });

    it('keeps the other 10 as suppressed, with the reason, never sent', () => {
      const suppressed = mails.filter((row) => row.suppressed_at);
      expect(suppressed).toHaveLength(10);
      for (const row of suppressed) {
        expect(row.sent_at).toBeNull();
        expect(row.suppressed_reason).toMatch(/MAILS_PER_RECIPIENT_PER_HOUR/);
      }
    });

    it('keeps every booking: only the mails are held back', async () => {
      const [{ n }] = await testApp.sql<{ n: number }[]>(
        "SELECT COUNT(*) AS n FROM bookings WHERE event_id = ? AND status = 'confirmed'",
        [eventId],
      );
      expect(Number(n)).toBe(30);
    });

    it('warns once about the address, not once a mail', () => {
      expect(warnings.filter((line) => line.includes('victim@example.org'))).toHaveLength(1);
    });
  });

  describe('per event, with a cap of 5 a minute', () => {
    afterAll(() => testApp.close());

    it('sends 5 of 8 mails of one event now and keeps the other 3 waiting, not dropped', async () => {
      testApp = await startTestApp({ MAILS_PER_EVENT_PER_MINUTE: '5' });
      const { eventId, ticketTypeIds } = await insertEvent(testApp, {
        ticketTypes: [{ capacity: 100 }],
      });
      for (let i = 0; i < 8; i++) await book(eventId, ticketTypeIds[0], `fan${i}@example.org`);
      const mails = await eventually(async () => {
        const all = await rows(eventId);
        const sent = all.filter((row) => row.sent_at);
        // Postponed: not sent, never tried, next try about a minute away.
        const waiting = all.filter(
          (row) =>
            !row.sent_at &&
            Number(row.attempts) === 0 &&
            storedTime(row.next_attempt_at) > Date.now() + 30_000,
        );
        return sent.length === 5 && waiting.length === 3 ? all : undefined;
      }, 'five mails sent and three waiting');
      expect(mails.filter((row) => row.sent_at)).toHaveLength(5);
      const waiting = mails.filter((row) => !row.sent_at);
      expect(waiting).toHaveLength(3);
      for (const row of waiting) {
        expect(row.suppressed_at).toBeNull();
        expect(Number(row.attempts)).toBe(0);
      }
    });
  });
});
