import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { queueCookie, QueueService } from './queue.service';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The queue entry whose admission a purchase uses (events selling through a queue). */
      queueEntryId?: number;
    }
  }
}

/**
 * In front of an event's buy page and purchase: a visitor of an event selling through a queue
 * passes only with a valid admission (else 303 to the queue), before anything of the form is
 * read or shown. A purchase posted again after it went through passes, to get its booking.
 */
@Injectable()
export class QueueAdmissionGuard implements CanActivate {
  constructor(private readonly queue: QueueService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const eventId = Number(req.params.id);
    if (!Number.isSafeInteger(eventId) || eventId < 1) return true; // the route answers 404
    req.queueEntryId = await this.queue.admissionFor(
      eventId,
      req.signedCookies?.[queueCookie(eventId)],
      { resubmission: req.method === 'POST' },
    );
    return true;
  }
}
