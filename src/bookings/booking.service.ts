import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import { Membership } from '../auth/entities/membership.entity';
import { QueueService } from '../queue/queue.service';
import { ROLES_WITH } from '../auth/organisations/access';
import type { SessionUser } from '../auth/session-user';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import { insertReturningId } from '../database/inserts';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Event } from '../events/entities/event.entity';
import { newBookingReference, newBookingSecret, secretsMatch } from './booking-reference';
import {
  IdempotencyKeyReusedError,
  PaidBookingError,
  SalesClosedError,
  SoldOutError,
} from './booking.errors';
import { BookingItem } from './entities/booking-item.entity';
import { insertTickets, withTickets } from './tickets';
import { Booking, BookingStatus } from './entities/booking.entity';
import { releaseBooking, takeTicketsUnderEventLock, withHold } from './inventory';
import { bookingTerms, PaymentPlan } from './payment-plan';
import { storedIdempotencyKey } from './idempotency-scope';
import { OrderInput } from './order-input';
import { priceOrderLines } from './order-lines';
import { seatedLines, takeOrderSeats } from './seated-order';
import { bookableDate } from '../events/dates/bookable-date';
import type { PaymentMethod } from '../payments/payment-method';
import { normalizeVoucherCode } from '../vouchers/voucher-code';
import { VoucherRefusedError } from '../vouchers/voucher.errors';
import { redeemVoucher, usableVoucher } from '../vouchers/voucher-usage';

/**
 * Who asks to cancel: the attendee, proven by the booking's secret; or a logged-in
 * organiser or admin, optionally from one event's bookings page (`eventId`); `unlessRefundable`:
 * only while nothing paid is left to refund (money goes back by a refund, which also cancels).
 */
/**
 * Who cancels: an attendee with their booking's secret, an admin, or a member who manages the
 * event's organisation (`eventId`: only a booking of that event).
 */
export type CancelActor =
  { secret: unknown } | { user: SessionUser; eventId?: number; unlessRefundable?: boolean };

/** Whose bookings: an event's, or only those of one of its dates. */
export interface BookingsOf {
  eventId: number;
  dateId?: number;
}

export interface BookingResult {
  reference: string;
  secret: string;
  /** `pending` when the tickets are held until paid. */
  status: BookingStatus;
  /** True when an earlier booking with the same idempotency key was returned instead. */
  replayed: boolean;
}

export interface BookingDetails {
  id: number;
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
  checkedInAt: Date | null;
  expiresAt: Date | null;
  paymentMethod: PaymentMethod | null;
  paidAt: Date | null;
  refundedCents: number;
  stripeSessionId: string | null;
  stripePaymentIntent: string | null;
  dateId: number;
  dateStartsAt: Date;
  voucherId: number | null;
  voucherCode: string | null;
  /** One per unit bought, in the order they were made. */
  tickets: {
    code: string;
    ticketTypeId: number;
    /** The ticket type's name. */
    name: string;
    attendeeName: string | null;
    /** Its seat, on a seated ticket type: as people read it. */
    seat: TicketSeat | null;
    checkedInAt: Date | null;
  }[];
}

export interface TicketSeat {
  section: string;
  row: string;
  seat: string;
}

/** The critical path: selling tickets without ever selling one twice or beyond capacity. */
@Injectable()
export class BookingService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
    private readonly queue: QueueService,
  ) {}

  /**
   * Books every line of the order, all or nothing, in one transaction. Each
   * line is a conditional UPDATE that only succeeds while enough tickets are
   * left, so concurrent buyers can never push `sold` past `capacity`.
   */
  async book(eventId: number, order: OrderInput, plan: PaymentPlan): Promise<BookingResult> {
    let refusedWithKeyClaimed = false;
    try {
      return await this.transactions.run(async (manager) => {
        let keyClaimed = false;
        refusedWithKeyClaimed = false;
        try {
          return await this.bookInTransaction(manager, eventId, order, plan, () => {
            keyClaimed = true;
          });
        } catch (error) {
          refusedWithKeyClaimed = keyClaimed;
          throw error;
        }
      });
    } catch (error) {
      // A keyed order refused (its key already taken, sales closed) may be a resubmission of one
      // already booked: that booking is the answer. One refused after its transaction claimed the
      // key (sold out, say) had no booking before it, so a rush's refusals skip the lookup.
      const earlier =
        order.idempotency && !refusedWithKeyClaimed
          ? await this.findEarlierBooking(this.bookings.manager, eventId, order)
          : undefined;
      if (earlier) return earlier;
      throw error;
    }
  }

  /** Books (as `book`), and answers with the booking as the API shows it. */
  async bookAndShow(
    eventId: number,
    order: OrderInput,
    plan: PaymentPlan,
  ): Promise<{ booking: BookingDetails; replayed: boolean }> {
    const { reference, replayed } = await this.book(eventId, order, plan);
    return { booking: await this.findByReference(reference), replayed };
  }

  /** A booking the visitor may see: made in this browser session, or with its secret. 404 for anyone else. */
  async findVisible(
    reference: unknown,
    access: { secret?: unknown; sessionReferences?: string[] },
  ): Promise<BookingDetails> {
    const booking = await this.findWithDetails(this.bookings.manager, reference);
    const allowed =
      booking &&
      (access.sessionReferences?.includes(booking.reference) ||
        secretsMatch(booking.secret, access.secret));
    if (!booking || !allowed) throw new NotFoundException('No such booking.');
    return toDetails(booking);
  }

  /**
   * Cancels a held or confirmed booking and returns its tickets to sale, in one transaction. An
   * attendee may cancel only what is not paid yet (PaidBookingError, 409, otherwise).
   * The status change is conditional (`WHERE status IN ('pending', 'confirmed')`), so of two
   * concurrent or repeated cancels, or a cancel and an expiry, only one returns the tickets;
   * the other sees the booking already gone and changes nothing. Anyone not allowed gets a 404.
   */
  async cancel(reference: unknown, actor: CancelActor): Promise<BookingDetails> {
    return this.transactions.run(async (manager) => {
      const booking = await this.findWithDetails(manager, reference);
      if (!booking || !(await mayCancel(manager, booking, actor)))
        throw new NotFoundException('No such booking.');
      const query = manager
        .createQueryBuilder()
        .update(Booking)
        .set({ status: 'cancelled', cancelledAt: new Date(), expiresAt: null })
        .where("id = :id AND status IN ('pending', 'confirmed')", { id: booking.id });
      // Money paid goes back by a refund, which an organiser makes; the attendee cannot take it.
      if ('secret' in actor) query.andWhere('paid_at IS NULL');
      else if (actor.unlessRefundable)
        query.andWhere('(paid_at IS NULL OR refunded_cents >= total_cents)');
      const cancelled = await query.execute();
      if (!cancelled.affected) {
        const current = (await this.findWithDetails(manager, booking.reference))!;
        if (current.status === 'confirmed') throw new PaidBookingError();
        return toDetails(current);
      }
      await this.domainEvents.record(manager, {
        type: 'booking.cancelled',
        bookingId: booking.id,
        eventId: booking.eventId,
        attendeeEmail: booking.attendeeEmail,
      });
      await releaseBooking(manager, { ...booking, items: booking.items ?? [] });
      await this.auditLog.record(
        manager,
        'user' in actor ? actor.user : 'attendee',
        'booking.cancelled',
        `booking ${booking.reference}`,
        eventSubject(booking.event!),
      );
      return toDetails((await this.findWithDetails(manager, booking.reference))!);
    });
  }

  /**
   * One page of an event's bookings, newest first, with their items, and how many there are
   * (the caller checks who may see them). The page's ids come first, in SQL, so the join with
   * the items cannot cut a booking in two or shift the page.
   */
  async pageForEvent(
    of: BookingsOf,
    limit: number,
    offset: number,
  ): Promise<{ bookings: BookingDetails[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.bookingsOf(of)
        .select('booking.id', 'id')
        .orderBy('booking.created_at', 'DESC')
        .addOrderBy('booking.id', 'DESC')
        .limit(limit)
        .offset(offset)
        .getRawMany<{ id: number }>(),
      this.bookingsOf(of).getCount(),
    ]);
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return { bookings: [], total };
    const bookings = await this.detailsQuery(this.bookings.manager)
      .where('booking.id IN (:...ids)', { ids })
      .orderBy('booking.created_at', 'DESC')
      .addOrderBy('booking.id', 'DESC')
      .addOrderBy('item.id', 'ASC')
      .getMany();
    await withTickets(this.bookings.manager, bookings);
    return { bookings: bookings.map(toDetails), total };
  }

  /** Every booking of an event (or one of its dates), oldest first, `batch` at a time: for an export of any size. */
  async *everyBookingOf(of: BookingsOf, batch = 500): AsyncGenerator<BookingDetails[]> {
    for (let after = 0; ;) {
      const rows = await this.bookingsOf(of)
        .select('booking.id', 'id')
        .andWhere('booking.id > :after', { after })
        .orderBy('booking.id', 'ASC')
        .limit(batch)
        .getRawMany<{ id: number }>();
      if (rows.length === 0) return;
      const ids = rows.map((row) => Number(row.id));
      const bookings = await this.detailsQuery(this.bookings.manager)
        .where('booking.id IN (:...ids)', { ids })
        .orderBy('booking.id', 'ASC')
        .addOrderBy('item.id', 'ASC')
        .getMany();
      yield (await withTickets(this.bookings.manager, bookings)).map(toDetails);
      after = ids[ids.length - 1];
    }
  }

  /** The bookings of an event, or of one of its dates. */
  private bookingsOf({ eventId, dateId }: BookingsOf) {
    const query = this.bookings
      .createQueryBuilder('booking')
      .where('booking.event_id = :eventId', { eventId });
    return dateId === undefined ? query : query.andWhere('booking.date_id = :dateId', { dateId });
  }

  private async findWithDetails(
    manager: EntityManager,
    reference: unknown,
  ): Promise<Booking | null> {
    if (typeof reference !== 'string' || !/^[0-9A-Z]{1,20}$/.test(reference)) return null;
    return this.oneWithDetails(manager, 'booking.reference = :reference', { reference });
  }

  private async oneWithDetails(
    manager: EntityManager,
    condition: string,
    parameters: Record<string, unknown>,
  ): Promise<Booking | null> {
    const booking = await this.detailsQuery(manager)
      .where(condition, parameters)
      .orderBy('item.id')
      .getOne();
    return booking && (await withTickets(manager, [booking]))[0];
  }

  /** A booking with its secret, event and items: everything BookingDetails shows. */
  private detailsQuery(manager: EntityManager) {
    return manager
      .createQueryBuilder(Booking, 'booking')
      .addSelect('booking.secret')
      .innerJoinAndSelect('booking.event', 'event')
      .leftJoinAndSelect('booking.items', 'item')
      .leftJoinAndSelect('item.ticketType', 'ticketType')
      .innerJoinAndSelect('booking.date', 'date')
      .leftJoinAndSelect('booking.voucher', 'voucher');
  }

  private async bookInTransaction(
    manager: EntityManager,
    eventId: number,
    order: OrderInput,
    plan: PaymentPlan,
    claimedKey: () => void,
  ): Promise<BookingResult> {
    // Keeps the event and its ticket types from being deleted or edited under this booking.
    await lockRow(manager, Event, eventId, 'shared');
    const event = await manager
      .createQueryBuilder(Event, 'event')
      .leftJoinAndSelect('event.ticketTypes', 'ticketType')
      .where("event.id = :eventId AND event.status = 'published'", { eventId })
      .getOne();
    if (!event) throw new NotFoundException('No such event.');
    const now = new Date();
    // Sales for a date close when it starts; the event's other dates sell on.
    const date = await bookableDate(manager, eventId, order.dateId, now);
    if (!date) throw new SalesClosedError();
    const sale = { ...event, startsAt: date.startsAt };
    const voucher = order.voucherCode
      ? await usableVoucher(manager, eventId, order.voucherCode, now)
      : undefined;
    if (voucher && voucher.dateId !== null && voucher.dateId !== date.id)
      throw VoucherRefusedError.notForThisDate();
    const ordered = await seatedLines(manager, eventId, event.ticketTypes ?? [], order);
    const { prices, voucherUses } = priceOrderLines(sale, ordered, now.getTime(), voucher);
    const lines = [...ordered].sort((a, b) => a.ticketTypeId - b.ticketTypeId);

    // The booking row comes first: it claims the idempotency key before any stock is checked. A
    // resubmission of this order meets the key's unique index here (on PostgreSQL it waits for
    // this transaction to end), so it is answered with this booking, never with "sold out".
    const reference = newBookingReference();
    const secret = newBookingSecret();
    const totalCents = lines.reduce(
      (sum, line) => sum + line.quantity * prices.get(line.ticketTypeId)!,
      0,
    );
    // A hold never outlasts the start of the date it holds tickets for.
    const terms = bookingTerms(plan, totalCents, sale, now);
    const bookingId = await insertReturningId(manager, Booking, {
      reference,
      secret,
      eventId,
      attendeeName: order.attendeeName,
      attendeeEmail: order.attendeeEmail,
      totalCents,
      ...terms,
      idempotencyKey: order.idempotency ? storedIdempotencyKey(order.idempotency) : null,
      idempotencyFingerprint: order.idempotency ? orderFingerprint(eventId, order) : null,
      cancelledAt: null,
      dateId: date.id,
      voucherId: voucher?.id ?? null,
    });
    claimedKey();
    if (order.queueEntryId !== undefined)
      await this.queue.markPurchased(manager, eventId, order.queueEntryId);

    // The voucher before the tickets, as everywhere, so two transactions lock them in one order.
    if (voucher && !(await redeemVoucher(manager, voucher, voucherUses, now)))
      throw VoucherRefusedError.usedUp();
    const held = voucher?.reservesCapacity
      ? withHold(lines, { ticketTypeId: voucher.ticketTypeId, quantity: voucherUses })
      : lines;
    if (!(await takeTicketsUnderEventLock(manager, { eventId, dateId: date.id }, held)))
      throw new SoldOutError();
    // Seats after the counts, as everywhere: a sold-out order takes no seat's lock.
    const seats = await takeOrderSeats(manager, { eventId, dateId: date.id }, bookingId, order);

    await manager.insert(
      BookingItem,
      lines.map((line) => ({
        bookingId,
        ticketTypeId: line.ticketTypeId,
        quantity: line.quantity,
        unitPriceCents: prices.get(line.ticketTypeId)!,
      })),
    );
    await insertTickets(manager, bookingId, lines, seats);
    await this.domainEvents.record(manager, {
      type: terms.status === 'confirmed' ? 'booking.confirmed' : 'booking.payment_due',
      bookingId,
      eventId,
      attendeeEmail: order.attendeeEmail,
    });
    return { reference, secret, status: terms.status, replayed: false };
  }

  /**
   * The booking an earlier submission with this order's idempotency key made, if any;
   * the key may not be reused for a different order (IdempotencyKeyReusedError, 409).
   */
  private async findEarlierBooking(
    manager: EntityManager,
    eventId: number,
    order: OrderInput,
  ): Promise<BookingResult | undefined> {
    if (!order.idempotency) return undefined;
    const booking = await manager
      .createQueryBuilder(Booking, 'booking')
      .addSelect(['booking.secret', 'booking.idempotencyFingerprint'])
      .where('booking.idempotency_key = :key', { key: storedIdempotencyKey(order.idempotency) })
      .getOne();
    if (!booking) return undefined;
    if (
      booking.eventId !== eventId ||
      booking.idempotencyFingerprint !== orderFingerprint(eventId, order)
    ) {
      throw new IdempotencyKeyReusedError();
    }
    return {
      reference: booking.reference,
      secret: booking.secret,
      status: booking.status,
      replayed: true,
    };
  }

  /** A booking by id, for the mails about it; 404 when there is none. */
  async findDetailsById(id: number): Promise<BookingDetails> {
    const booking = await this.oneWithDetails(this.bookings.manager, 'booking.id = :id', { id });
    if (!booking) throw new NotFoundException('No such booking.');
    return toDetails(booking);
  }

  /** A booking as BookingDetails shows it, read in `manager`'s transaction; null when there is none. */
  async findDetailsIn(manager: EntityManager, reference: unknown): Promise<BookingDetails | null> {
    const booking = await this.findWithDetails(manager, reference);
    return booking ? toDetails(booking) : null;
  }

  /** Any booking by reference, for administrators (the API); 404 when there is none. */
  async findByReference(reference: unknown): Promise<BookingDetails> {
    const booking = await this.findWithDetails(this.bookings.manager, reference);
    if (!booking) throw new NotFoundException('No such booking.');
    return toDetails(booking);
  }
}

async function mayCancel(
  manager: EntityManager,
  booking: Booking,
  actor: CancelActor,
): Promise<boolean> {
  if ('secret' in actor) return secretsMatch(booking.secret, actor.secret);
  if (actor.eventId !== undefined && actor.eventId !== booking.eventId) return false;
  if (actor.user.role === 'admin') return true;
  return manager.existsBy(Membership, {
    organisationId: booking.event!.organisationId,
    userId: actor.user.id,
    role: In(ROLES_WITH.manage),
  });
}

function toDetails(booking: Booking): BookingDetails {
  return {
    id: booking.id,
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
    checkedInAt: booking.checkedInAt,
    expiresAt: booking.expiresAt,
    paymentMethod: booking.paymentMethod,
    paidAt: booking.paidAt,
    refundedCents: booking.refundedCents,
    stripeSessionId: booking.stripeSessionId,
    stripePaymentIntent: booking.stripePaymentIntent,
    dateId: booking.dateId,
    dateStartsAt: booking.date!.startsAt,
    voucherId: booking.voucherId,
    voucherCode: booking.voucher?.code ?? null,
    tickets: (booking.tickets ?? []).map((ticket) => ({
      code: ticket.code,
      ticketTypeId: ticket.ticketTypeId,
      name:
        booking.items?.find((item) => item.ticketTypeId === ticket.ticketTypeId)?.ticketType
          ?.name ?? 'Ticket',
      attendeeName: ticket.attendeeName,
      seat: ticket.seat
        ? { section: ticket.seat.section!.name, row: ticket.seat.rowLabel, seat: ticket.seat.label }
        : null,
      checkedInAt: ticket.checkedInAt,
    })),
  };
}

/** The same order, however its lines were listed: event, buyer and quantities per ticket type. */
function orderFingerprint(eventId: number, order: OrderInput): string {
  const lines = [...order.lines]
    .sort((a, b) => a.ticketTypeId - b.ticketTypeId)
    .map((line) => [line.ticketTypeId, line.quantity]);
  const canonical = JSON.stringify([
    eventId,
    order.attendeeName,
    order.attendeeEmail.toLowerCase(),
    lines,
    ...(order.voucherCode ? [normalizeVoucherCode(order.voucherCode)] : []),
    ...(order.dateId !== undefined ? [`date ${order.dateId}`] : []),
    ...(order.seatIds?.length
      ? [`seats ${[...order.seatIds].sort((a, b) => a - b).join(',')}`]
      : []),
    ...(order.bestAvailable ?? []).map(
      (request) => `together ${request.ticketTypeId}:${request.quantity}`,
    ),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
