import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, LessThan, MoreThan, Repository } from 'typeorm';
import { SeeOtherException } from '../common/errors/see-other.exception';
import { TooManyRequestsException } from '../common/errors/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { insertReturningId } from '../database/inserts';
import { TransactionRunner } from '../database/transaction-runner';
import { Event } from '../events/entities/event.entity';
import { AdmissionClock, type QueuedEvent } from './admission-clock';
import { QueueEntry, type QueueEntryStatus } from './entities/queue-entry.entity';
import { QueueProofs } from './queue-proofs';

const HOUR_MS = 60 * 60_000;

/** The cookie naming a visitor's entry in an event's queue (signed). */
export const queueCookie = (eventId: number) => `boxoffice.queue.${eventId}`;

export const queuePath = (eventId: number) => `/event/${eventId}/queue`;

/** Buying without a valid admission: to the queue, nothing booked. */
export class AdmissionRequiredError extends SeeOtherException {
  constructor(eventId: number) {
    super(queuePath(eventId), 'This sale goes through a queue: join it to buy.');
  }
}

/** What a visitor's queue page shows. */
export interface QueueStanding {
  status: QueueEntryStatus;
  /** People ahead (waiting with an earlier place); undefined before places are drawn. */
  ahead?: number;
  /** Minutes to wait, at the event's rate. */
  waitMinutes?: number;
  expiresAt: Date | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The visitor's side of an event's queue (PRODUCT.md "Fair on-sale queue"): joining (with a
 * proof of work, a few times an hour per address), where they stand, and whether they may buy.
 */
@Injectable()
export class QueueService {
  constructor(
    @InjectRepository(QueueEntry) private readonly entries: Repository<QueueEntry>,
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly transactions: TransactionRunner,
    private readonly clock: AdmissionClock,
    private readonly proofs: QueueProofs,
    private readonly config: AppConfig,
  ) {}

  /** A published event selling through a queue; 404 otherwise. */
  async queuedEvent(eventId: number): Promise<Event> {
    const event = await this.events.findOneBy({ id: eventId, status: 'published' });
    if (!event?.queueEnabled) throw new NotFoundException('No such queue.');
    return event;
  }

  /** The visitor's entry (by the token of their cookie), if it is one of this event's. */
  async entryOf(eventId: number, token: unknown): Promise<QueueEntry | undefined> {
    if (typeof token !== 'string' || token.length > 100) return undefined;
    return (await this.entries.findOneBy({ eventId, tokenHash: hashOf(token) })) ?? undefined;
  }

  /**
   * Joins the queue: before the opening with a place to be drawn then, after it at the back.
   * A browser still in line (or admitted) keeps its entry; one whose entry lapsed or sold out
   * joins again at the back. Answers the token for the cookie.
   */
  async join(event: Event, token: unknown, clientAddress: string, proof: unknown): Promise<string> {
    const current = await this.entryOf(event.id, token);
    if (current && (current.status === 'waiting' || current.status === 'admitted'))
      return token as string;
    await this.assertJoinsLeft(clientAddress);
    const newToken = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.transactions.run(async (manager) => {
      await this.proofs.redeem(manager, proof);
      await this.clock.drawIfOpen(manager, event, now);
      const opened = event.onSaleAt !== null && now >= event.onSaleAt;
      await insertReturningId(manager, QueueEntry, {
        eventId: event.id,
        tokenHash: hashOf(newToken),
        clientAddress,
        joinedAt: now,
        draw: randomBytes(8).toString('hex'),
        position: opened ? await this.clock.nextPlace(manager, event.id) : null,
        status: 'waiting',
      });
    });
    // With nobody ahead, admitted at once (within the rate).
    await this.clock.step(event);
    return newToken;
  }

  private async assertJoinsLeft(clientAddress: string): Promise<void> {
    const limit = this.config.queue.joinsPerIpPerHour;
    if (limit === 0) return;
    const recent = await this.entries.find({
      select: { joinedAt: true },
      where: { clientAddress, joinedAt: MoreThan(new Date(Date.now() - HOUR_MS)) },
      order: { joinedAt: 'ASC' },
      take: limit,
    });
    if (recent.length < limit) return;
    throw new TooManyRequestsException(
      'This address has joined queues too often this hour.',
      recent[0].joinedAt.getTime() + HOUR_MS - Date.now(),
    );
  }

  /** Where the entry stands now. */
  async standing(event: QueuedEvent, entry: QueueEntry): Promise<QueueStanding> {
    const lapsed = entry.status === 'admitted' && entry.expiresAt! <= new Date();
    const status = lapsed ? 'lapsed' : entry.status;
    if (status !== 'waiting' || entry.position === null)
      return { status, expiresAt: entry.expiresAt };
    const ahead = await this.entries.countBy({
      eventId: event.id,
      status: 'waiting',
      position: LessThan(entry.position),
    });
    return {
      status,
      ahead,
      waitMinutes: Math.ceil((ahead + 1) / event.admissionPerMinute),
      expiresAt: null,
    };
  }

  /**
   * The entry a purchase of this event goes with: none for an event without a queue; for one
   * with a queue, the visitor's admitted entry, or AdmissionRequiredError (303 to the queue).
   * `resubmission`: a purchase posted again after it went through is answered with its booking,
   * so an entry already used for a purchase goes too (a new order with it is refused in the
   * purchase's transaction).
   */
  async admissionFor(
    eventId: number,
    token: unknown,
    { resubmission = false } = {},
  ): Promise<number | undefined> {
    const event = await this.events.findOne({
      select: { id: true, queueEnabled: true },
      where: { id: eventId },
    });
    if (!event?.queueEnabled) return undefined;
    const entry = await this.entryOf(eventId, token);
    const admitted =
      entry &&
      ((entry.status === 'admitted' && entry.expiresAt !== null && entry.expiresAt > new Date()) ||
        (resubmission && entry.status === 'purchased'));
    if (!admitted) throw new AdmissionRequiredError(eventId);
    return entry.id;
  }

  /** Uses the admission up in the purchase's transaction: once, and only while it is valid. */
  async markPurchased(manager: EntityManager, eventId: number, entryId: number): Promise<void> {
    const { affected } = await manager
      .createQueryBuilder()
      .update(QueueEntry)
      .set({ status: 'purchased' })
      .where("id = :entryId AND status = 'admitted' AND expires_at > :now", {
        entryId,
        now: new Date(),
      })
      .execute();
    if (!affected) throw new AdmissionRequiredError(eventId);
  }
}
