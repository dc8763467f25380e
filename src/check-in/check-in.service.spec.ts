import { NotFoundException } from '@nestjs/common';
import {
  insertEvent,
  organiserOf,
  startTestServices,
  TestServices,
} from '../../test/support/test-app';
import { BookingService } from '../bookings/booking.service';
import { CheckInService } from './check-in.service';
import { PAY_AT_THE_DOOR } from '../bookings/payment-plan';

describe('CheckInService (real SQLite database)', () => {
  let services: TestServices;
  let service: CheckInService;
  let bookings: BookingService;

  beforeAll(async () => {
    services = await startTestServices();
    service = services.app.get(CheckInService);
    bookings = services.app.get(BookingService);
  });
  afterAll(() => services.close());

  /** A published event with two ticket types, and its organiser as a session user. */
  async function seedEvent() {
    const { eventId, ticketTypeIds } = await insertEvent(services, {
      ticketTypes: [
        { name: 'Full price', capacity: 50 },
        { name: 'Concession', capacity: 50 },
      ],
    });
    return { eventId, ticketTypeIds, organiser: await organiserOf(services, eventId) };
  }

  const book = async (eventId: number, lines: [number, number][]) =>
    (
      await bookings.book(
        eventId,
        {
          attendeeName: 'Ada Lovelace',
          attendeeEmail: 'ada@example.com',
          lines: lines.map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity })),
        },
        PAY_AT_THE_DOOR,
      )
    ).reference;

  it('checks in a confirmed booking and names its holder and items', async () => {
    const { eventId, ticketTypeIds, organiser } = await seedEvent();
    const reference = await book(eventId, [
      [ticketTypeIds[0], 2],
      [ticketTypeIds[1], 1],
    ]);
    const { outcome } = await service.checkIn(organiser, eventId, reference);
    expect(outcome).toEqual({
      result: 'checked-in',
      reference,
      checkedInAt: expect.any(Date),
      admitted: 3,
      holder: {
        attendeeName: 'Ada Lovelace',
        items: [
          { name: 'Full price', quantity: 2 },
          { name: 'Concession', quantity: 1 },
        ],
        checkedInAt: expect.any(Date),
        tickets: { checkedIn: 3, total: 3 },
        // Booked to be paid at the door (3 × 10.00), and not paid yet.
        dueCents: 3000,
        dateStartsAt: expect.any(Date),
      },
    });
  });

  it('checks a booking in exactly once among 100 concurrent check-ins, keeping the first time', async () => {
    const { eventId, ticketTypeIds, organiser } = await seedEvent();
    const reference = await book(eventId, [[ticketTypeIds[0], 1]]);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => service.checkIn(organiser, eventId, reference)),
    );
    const results = outcomes.map(({ outcome }) => outcome.result);
    expect(results.filter((result) => result === 'checked-in')).toHaveLength(1);
    expect(results.filter((result) => result === 'already-checked-in')).toHaveLength(99);
    const times = new Set(outcomes.map(({ outcome }) => outcome.holder!.checkedInAt!.getTime()));
    expect(times.size).toBe(1);
  });

  it('refuses a cancelled booking and leaves it not checked in', async () => {
    const { eventId, ticketTypeIds, organiser } = await seedEvent();
    const reference = await book(eventId, [[ticketTypeIds[0], 1]]);
    await bookings.cancel(reference, { user: organiser });
    const { outcome } = await service.checkIn(organiser, eventId, reference);
    expect(outcome.result).toBe('cancelled');
    expect(outcome.holder!.checkedInAt).toBeNull();
  });

  it('treats a booking of another event as unknown and shows nothing of it', async () => {
    const here = await seedEvent();
    const there = await seedEvent();
    const reference = await book(there.eventId, [[there.ticketTypeIds[0], 1]]);
    const { outcome } = await service.checkIn(here.organiser, here.eventId, reference);
    expect(outcome).toEqual({ result: 'unknown', reference });
    const [row] = await services.sql<{ checked_in_at: unknown }[]>(
      'SELECT checked_in_at FROM bookings WHERE reference = ?',
      [reference],
    );
    expect(row.checked_in_at).toBeNull();
  });

  it('answers another organiser with a 404', async () => {
    const { eventId, ticketTypeIds } = await seedEvent();
    const other = await seedEvent();
    const reference = await book(eventId, [[ticketTypeIds[0], 1]]);
    await expect(service.checkIn(other.organiser, eventId, reference)).rejects.toThrow(
      NotFoundException,
    );
    await expect(service.desk(other.organiser, eventId)).rejects.toThrow(NotFoundException);
  });

  it('counts the tickets and bookings of confirmed bookings, and those checked in', async () => {
    const { eventId, ticketTypeIds, organiser } = await seedEvent();
    const first = await book(eventId, [
      [ticketTypeIds[0], 2],
      [ticketTypeIds[1], 1],
    ]);
    await book(eventId, [[ticketTypeIds[1], 4]]);
    const cancelled = await book(eventId, [[ticketTypeIds[0], 5]]);
    await bookings.cancel(cancelled, { user: organiser });
    expect(await service.desk(organiser, eventId)).toMatchObject({
      tickets: { checkedIn: 0, total: 7 },
      bookings: { checkedIn: 0, total: 2 },
    });
    const { desk } = await service.checkIn(organiser, eventId, first);
    expect(desk).toMatchObject({
      tickets: { checkedIn: 3, total: 7 },
      bookings: { checkedIn: 1, total: 2 },
    });
  });
});
