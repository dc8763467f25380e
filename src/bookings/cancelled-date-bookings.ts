import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MembershipsService } from '../auth/organisations/memberships.service';
import { UsersService } from '../auth/users.service';
import { BackgroundTask } from '../common/background-task';
import { EventDate } from '../events/entities/event-date.entity';
import { DateCancellation } from './date-cancellation.service';

/** A cancel a process did not finish (it stopped half way, a refund failed) is picked up within this long. */
const LOOK_EVERY_MS = 30_000;
/** A date whose refunds the provider keeps refusing is tried this many times, then left to its organiser. */
const MOST_TRIES = 5;

/**
 * Makes sure a cancelled date keeps no open booking: should the process that cancelled it stop
 * before ending them all, or a refund fail, this ends what is left (on every process; each end
 * is the booking's own conditional change, so none is ended twice), acting for an owner of the
 * event's organisation (the organiser who made it may have left). A date whose refunds keep
 * failing is retried a few times, then logged and left to the organisers' next press of cancel.
 */
@Injectable()
export class CancelledDateBookings extends BackgroundTask {
  private readonly tries = new Map<number, number>();

  constructor(
    @InjectRepository(EventDate) private readonly dates: Repository<EventDate>,
    private readonly cancellation: DateCancellation,
    private readonly users: UsersService,
    private readonly memberships: MembershipsService,
  ) {
    super('cancelled-date bookings', { delayMs: 0, pollMs: LOOK_EVERY_MS });
  }

  protected pass(): Promise<number> {
    return this.endWhatIsLeft();
  }

  /** Ends the open bookings of every cancelled date that has any; answers how many it ended. */
  async endWhatIsLeft(): Promise<number> {
    const dates = await this.dates
      .createQueryBuilder('date')
      .innerJoinAndSelect('date.event', 'event')
      .where("date.status = 'cancelled'")
      .andWhere(
        "EXISTS (SELECT 1 FROM bookings WHERE bookings.date_id = date.id AND bookings.status IN ('pending', 'confirmed'))",
      )
      .orderBy('date.id')
      .getMany();
    let ended = 0;
    for (const date of dates) {
      const tried = this.tries.get(date.id) ?? 0;
      const ownerId = await this.memberships.ownerOf(date.event!.organisationId);
      const organiser =
        ownerId === undefined ? undefined : await this.users.findSessionUser(ownerId);
      if (tried >= MOST_TRIES || !organiser || this.background.isStopped) continue;
      const outcome = await this.cancellation.endBookingsOf(organiser, date);
      ended += outcome.cancelled + outcome.refunded;
      if (outcome.failed.length === 0) continue;
      this.tries.set(date.id, tried + 1);
      if (tried + 1 === MOST_TRIES)
        this.logger.error(
          `date ${date.id} was cancelled, but the provider refused the refunds of ${outcome.failed.join(', ')} ${MOST_TRIES} times: left for the organiser to cancel again`,
        );
    }
    return ended;
  }
}
