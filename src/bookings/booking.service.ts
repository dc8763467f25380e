import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { TransactionRunner } from '../database/transaction-runner';
import { Event } from '../events/entities/event.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import { newBookingReference, newBookingSecret, secretsMatch } from './booking-reference';
import { IdempotencyKeyReusedError, SalesClosedError, SoldOutError } from './booking.errors';
import { BookingItem } from './entities/booking-item.entity';
import { Booking } from './entities/booking.entity';
import { OrderInput, OrderLine } from './order-input';

export interface BookingResult {
  reference: string;
  secret: string;
  /** True when an earlier booking with the same idempotency key was returned instead. */
  replayed: boolean;
}

export interface BookingDetails {
  reference: string;
  /** Only ever given to someone already allowed to see the booking. */
  secret: string;
  eventId: number;
  eventTitle: string;
  eventStartsAt: Date;
  eventVenue: string;
  attendeeName: string;
  attendeeEmail: string;
  status: Booking['status'];
  totalCents: number;
  items: { ticketTypeId: number; name: string; quantity: number; unitPriceCents: number }[];
  createdAt: Date;
  cancelledAt: Date | null;
}

/** The critical path: selling tickets without ever selling one twice or beyond capacity. */
@Injectable()
export class BookingService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Books every line of the order, all or nothing, in one transaction. Each
   * line is a conditional UPDATE that only succeeds while enough tickets are
   * left, so concurrent buyers can never push `sold` past `capacity`.
   */
  async book(eventId: number, order: OrderInput): Promise<BookingResult> {
    try {
      return await this.transactions.run((manager) =>
        this.bookInTransaction(manager, eventId, order),
      );
    } catch (error) {
      // Two concurrent submissions of one form on PostgreSQL: the loser hits the unique key.
      const key = order.idempotencyKey;
      const replay =
        key &&
        (await this.transactions.run((manager) => this.findEarlierBooking(manager, eventId, key)));
      if (replay) return replay;
      throw error;
    }
  }

  /** A booking the visitor may see: made in this browser session, or with its secret. 404 for anyone else. */
  async findVisible(
    reference: unknown,
    access: { secret?: unknown; sessionReferences?: string[] },
  ): Promise<BookingDetails> {
    const booking =
      typeof reference === 'string' && /^[0-9A-Z]{1,20}$/.test(reference)
        ? await this.bookings
            .createQueryBuilder('booking')
            .addSelect('booking.secret')
            .innerJoinAndSelect('booking.event', 'event')
            .leftJoinAndSelect('booking.items', 'item')
            .leftJoinAndSelect('item.ticketType', 'ticketType')
            .where('booking.reference = :reference', { reference })
            .orderBy('item.id')
            .getOne()
        : null;
    const allowed =
      booking &&
      (access.sessionReferences?.includes(booking.reference) ||
        secretsMatch(booking.secret, access.secret));
    if (!booking || !allowed) throw new NotFoundException('No such booking.');
    return toDetails(booking);
  }

  private async bookInTransaction(
    manager: EntityManager,
    eventId: number,
    order: OrderInput,
  ): Promise<BookingResult> {
    if (order.idempotencyKey) {
      const earlier = await this.findEarlierBooking(manager, eventId, order.idempotencyKey);
      if (earlier) return earlier;
    }
    const event = await manager.findOne(Event, {
      where: { id: eventId, status: 'published' },
      relations: { ticketTypes: true },
    });
    if (!event) throw new NotFoundException('No such event.');
    if (event.startsAt.getTime() <= Date.now()) throw new SalesClosedError();
    const prices = checkLines(event, order.lines);

    // A fixed order (by ticket type id) so concurrent PostgreSQL transactions lock rows in the same order.
    const lines = [...order.lines].sort((a, b) => a.ticketTypeId - b.ticketTypeId);
    for (const line of lines) {
      const result = await manager
        .createQueryBuilder()
        .update(TicketType)
        .set({ sold: () => 'sold + :quantity' })
        .where('id = :id AND event_id = :eventId AND sold + :quantity <= capacity')
        .setParameters({ id: line.ticketTypeId, eventId, quantity: line.quantity })
        .execute();
      if (!result.affected) throw new SoldOutError();
    }

    const reference = newBookingReference();
    const secret = newBookingSecret();
    const inserted = await manager.insert(Booking, {
      reference,
      secret,
      eventId,
      attendeeName: order.attendeeName,
      attendeeEmail: order.attendeeEmail,
      totalCents: lines.reduce(
        (sum, line) => sum + line.quantity * prices.get(line.ticketTypeId)!,
        0,
      ),
      status: 'confirmed',
      idempotencyKey: order.idempotencyKey ?? null,
      cancelledAt: null,
    });
    const bookingId = Number(inserted.identifiers[0].id);
    await manager.insert(
      BookingItem,
      lines.map((line) => ({
        bookingId,
        ticketTypeId: line.ticketTypeId,
        quantity: line.quantity,
        unitPriceCents: prices.get(line.ticketTypeId)!,
      })),
    );
    return { reference, secret, replayed: false };
  }

  /** The booking an earlier submission with this idempotency key made; the key may not be reused for another event. */
  private async findEarlierBooking(
    manager: EntityManager,
    eventId: number,
    idempotencyKey: string,
  ): Promise<BookingResult | undefined> {
    const booking = await manager
      .createQueryBuilder(Booking, 'booking')
      .addSelect('booking.secret')
      .where('booking.idempotency_key = :idempotencyKey', { idempotencyKey })
      .getOne();
    if (!booking) return undefined;
    if (booking.eventId !== eventId) throw new IdempotencyKeyReusedError();
    return { reference: booking.reference, secret: booking.secret, replayed: true };
  }
}

/** Every line must name a ticket type of this event, within the per-type limit. Returns the unit prices. */
function checkLines(event: Event, lines: OrderLine[]): Map<number, number> {
  const prices = new Map((event.ticketTypes ?? []).map((type) => [type.id, type.priceCents]));
  if (lines.length === 0) throw new InvalidFieldError('quantities', 'Choose at least one ticket.');
  for (const line of lines) {
    if (!prices.has(line.ticketTypeId)) {
      throw new InvalidFieldError(
        'quantities',
        'One of the ticket types is not part of this event.',
      );
    }
    if (
      !Number.isInteger(line.quantity) ||
      line.quantity < 1 ||
      line.quantity > event.maxTicketsPerType
    ) {
      throw new InvalidFieldError(
        'quantities',
        `You can book 1 to ${event.maxTicketsPerType} tickets of each type.`,
      );
    }
  }
  if (new Set(lines.map((line) => line.ticketTypeId)).size !== lines.length) {
    throw new InvalidFieldError('quantities', 'Each ticket type may appear only once.');
  }
  return prices;
}

function toDetails(booking: Booking): BookingDetails {
  return {
    reference: booking.reference,
    secret: booking.secret,
    eventId: booking.eventId,
    eventTitle: booking.event!.title,
    eventStartsAt: booking.event!.startsAt,
    eventVenue: booking.event!.venue,
    attendeeName: booking.attendeeName,
    attendeeEmail: booking.attendeeEmail,
    status: booking.status,
    totalCents: booking.totalCents,
    items: (booking.items ?? []).map((item) => ({
      ticketTypeId: item.ticketTypeId,
      name: item.ticketType?.name ?? 'Ticket',
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
    createdAt: booking.createdAt,
    cancelledAt: booking.cancelledAt,
  };
}
