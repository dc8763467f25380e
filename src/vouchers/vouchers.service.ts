import { ConflictException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, Repository } from 'typeorm';
import { AuditLogService, eventSubject } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { csvRecord } from '../common/csv';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { isUniqueViolation } from '../database/database-errors';
import { lockRow } from '../database/locks';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../domain-events/domain-events.service';
import { Event } from '../events/entities/event.entity';
import { DateInventory } from '../events/entities/date-inventory.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { TicketType } from '../events/entities/ticket-type.entity';
import type { EventWithTicketTypes } from '../events/event-pages';
import { EventsService } from '../events/events.service';
import { Voucher } from './entities/voucher.entity';
import { generateVoucherCode, normalizeVoucherCode, VOUCHER_CODE } from './voucher-code';
import type { VoucherInput } from './voucher-input';
import { holdBack, releaseHold } from './voucher-holds';

export const MAX_VOUCHERS_AT_ONCE = 1000;

const VOUCHERS_CSV_HEADER = [
  'code',
  'tag',
  'redeemed',
  'max_usages',
  'valid_until',
  'ticket_type',
  'price_mode',
  'value',
  'unlocks_hidden',
  'reserves_capacity',
  'created_at',
];

/** Organisers' side of vouchers: list, create (one typed or many generated), delete unused, export. */
@Injectable()
export class VouchersService {
  constructor(
    @InjectRepository(Voucher) private readonly vouchers: Repository<Voucher>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** One page of an event's vouchers, newest first, if this user may manage the event. */
  async page(user: SessionUser, eventId: number, limit: number, offset: number) {
    const event = await this.events.findManageable(user, eventId);
    const [vouchers, total] = await this.vouchers.findAndCount({
      where: { eventId },
      order: { id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { event, vouchers, total };
  }

  /**
   * Creates `input.count` vouchers (one with the typed code, or that many generated ones), in one
   * transaction. Reserving vouchers take their tickets out of public sale in the same
   * transaction, by a conditional UPDATE: when not that many are left, nothing is created (409).
   */
  async create(user: SessionUser, eventId: number, input: VoucherInput): Promise<Voucher[]> {
    const event = await this.events.findManageable(user, eventId);
    const type = checkInput(event, input);
    const codes = input.code
      ? [normalizeVoucherCode(input.code)]
      : Array.from({ length: input.count }, generateVoucherCode);
    try {
      return await this.transactions.run(async (manager) => {
        await lockRow(manager, Event, eventId, 'shared');
        const dateId = await voucherDate(manager, eventId, input);
        const rows = codes.map((code) => ({
          eventId,
          code,
          maxUsages: input.maxUsages,
          validUntil: input.validUntil,
          ticketTypeId: input.ticketTypeId,
          dateId,
          priceMode: input.priceMode,
          value: input.priceMode === 'none' ? 0 : input.value,
          unlocksHidden: input.unlocksHidden,
          reservesCapacity: input.reservesCapacity,
          held: input.reservesCapacity ? input.maxUsages : 0,
          tag: input.tag,
        }));
        if (input.reservesCapacity)
          await this.holdBackOrRefuse(manager, type!, dateId!, codes.length * input.maxUsages);
        const created: Voucher[] = [];
        // In slices: one INSERT of a thousand rows would pass SQLite's limit on bound values.
        for (let start = 0; start < rows.length; start += 50) {
          created.push(...(await manager.save(Voucher, rows.slice(start, start + 50))));
        }
        await this.auditLog.record(
          manager,
          user,
          'voucher.created',
          eventSubject(event),
          `${created.length === 1 ? `voucher ${created[0].code}` : `${created.length} vouchers`}${input.tag ? ` tagged "${input.tag}"` : ''}`,
        );
        await this.domainEvents.record(manager, { type: 'event.changed', eventId });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new InvalidFieldError(
          'code',
          'This event already has a voucher with this code.',
          HttpStatus.CONFLICT,
        );
      }
      throw error;
    }
  }

  /**
   * Deletes a voucher nobody has used (409 once a ticket was bought with it); what it held
   * back goes on sale (or to the waiting list) in the same transaction.
   */
  async remove(user: SessionUser, voucherId: number): Promise<Voucher> {
    const found = await this.vouchers.findOneBy({ id: voucherId });
    if (!found) throw new NotFoundException('No such voucher.');
    const event = await this.events.findManageable(user, found.eventId);
    return this.transactions.run(async (manager) => {
      await lockRow(manager, Voucher, voucherId, 'exclusive');
      const voucher = await manager.findOneBy(Voucher, { id: voucherId });
      if (!voucher) throw new NotFoundException('No such voucher.');
      if (voucher.redeemed > 0) {
        throw new ConflictException(
          `Voucher ${voucher.code} has been used for ${voucher.redeemed} ticket${voucher.redeemed === 1 ? '' : 's'}, so it cannot be deleted.`,
        );
      }
      await releaseHold(manager, voucher);
      await manager.delete(Voucher, { id: voucherId, redeemed: 0 });
      await this.auditLog.record(
        manager,
        user,
        'voucher.deleted',
        eventSubject(event),
        `voucher ${voucher.code}`,
      );
      await this.domainEvents.record(manager, { type: 'event.changed', eventId: voucher.eventId });
      return voucher;
    });
  }

  /** Takes `count` tickets of a type out of public sale for vouchers, or refuses (409) when fewer are left. */
  private async holdBackOrRefuse(
    manager: EntityManager,
    type: TicketType,
    dateId: number,
    count: number,
  ) {
    if (await holdBack(manager, { dateId, ticketTypeId: type.id }, count)) return;
    const current = (await manager.findOneBy(DateInventory, { dateId, ticketTypeId: type.id }))!;
    const left = Math.max(0, current.capacity - current.sold - current.reserved);
    throw new InvalidFieldError(
      'reservesCapacity',
      `Only ${left} ticket${left === 1 ? '' : 's'} of “${type.name}” ${left === 1 ? 'is' : 'are'} left to hold back; these vouchers need ${count}.`,
      HttpStatus.CONFLICT,
    );
  }

  /** Every voucher of the event as CSV, 500 rows a query, for a file of any size. */
  async csv(user: SessionUser, eventId: number) {
    const event = await this.events.findManageable(user, eventId);
    const typeNames = new Map(event.ticketTypes.map((type) => [type.id, type.name]));
    const vouchers = this.vouchers;
    async function* chunks() {
      yield csvRecord(VOUCHERS_CSV_HEADER);
      for (let after = 0; ;) {
        const batch = await vouchers.find({
          where: { eventId, id: MoreThan(after) },
          order: { id: 'ASC' },
          take: 500,
        });
        if (batch.length === 0) return;
        yield batch
          .map((voucher) =>
            csvRecord([
              voucher.code,
              voucher.tag,
              voucher.redeemed,
              voucher.maxUsages,
              voucher.validUntil?.toISOString(),
              voucher.ticketTypeId === null ? 'all' : typeNames.get(voucher.ticketTypeId),
              voucher.priceMode,
              voucher.value,
              voucher.unlocksHidden ? 'yes' : 'no',
              voucher.reservesCapacity ? 'yes' : 'no',
              voucher.createdAt.toISOString(),
            ]),
          )
          .join('');
        after = batch[batch.length - 1].id;
      }
    }
    return { filename: `event-${event.id}-vouchers.csv`, chunks: chunks() };
  }
}

/** The rules that tie a voucher's fields together and to its event; answers its ticket type. */
/**
 * The date the vouchers are for: the one named (a scheduled date of the event), or for vouchers
 * that hold tickets back, the event's only scheduled date (they hold on one date).
 */
async function voucherDate(
  manager: EntityManager,
  eventId: number,
  input: VoucherInput,
): Promise<number | null> {
  const dates = await manager.find(EventDate, {
    select: { id: true },
    where: { eventId, status: 'scheduled' },
  });
  if (input.dateId !== null) {
    if (!dates.some((date) => date.id === input.dateId))
      throw new InvalidFieldError('dateId', 'Choose one of this event’s dates.');
    return input.dateId;
  }
  if (!input.reservesCapacity) return null;
  if (dates.length !== 1)
    throw new InvalidFieldError(
      'dateId',
      'Choose the date whose tickets these vouchers hold back.',
    );
  return dates[0].id;
}

function checkInput(event: EventWithTicketTypes, input: VoucherInput): TicketType | undefined {
  const type =
    input.ticketTypeId === null
      ? undefined
      : event.ticketTypes.find((candidate) => candidate.id === input.ticketTypeId);
  if (input.ticketTypeId !== null && !type)
    throw new InvalidFieldError('ticketTypeId', 'Choose one of this event’s ticket types.');
  if (input.reservesCapacity && !type) {
    throw new InvalidFieldError(
      'ticketTypeId',
      'Choose the ticket type whose tickets this voucher holds back.',
    );
  }
  if (input.code !== undefined && !VOUCHER_CODE.test(normalizeVoucherCode(input.code))) {
    throw new InvalidFieldError('code', 'A code is 4 to 32 letters, digits or dashes.');
  }
  if (input.code !== undefined && input.count !== 1) {
    throw new InvalidFieldError(
      'count',
      'Type a code for one voucher, or leave it empty to generate many.',
    );
  }
  if (input.priceMode === 'percent' && (input.value < 1 || input.value > 100))
    throw new InvalidFieldError('value', 'A percentage is a whole number from 1 to 100.');
  if (input.validUntil && input.validUntil.getTime() <= Date.now())
    throw new InvalidFieldError(
      'validUntil',
      'A voucher must be valid until a moment in the future.',
    );
  return type;
}
