import { Body, Controller, Get, Header, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { signedCookieOptions } from '../common/http/signed-cookies';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { formatDateTime } from '../common/views/view-helpers';
import { QueueProofs } from './queue-proofs';
import { queueCookie, queuePath, QueueService } from './queue.service';

/** The queue page reloads itself this often while its visitor waits (no script needed to wait). */
const REFRESH_SECONDS = 15;

/** The visitor's side of an event's queue: join, wait, be let in. */
@Controller('event/:id/queue')
export class QueueController {
  constructor(
    private readonly queue: QueueService,
    private readonly proofs: QueueProofs,
  ) {}

  @Get()
  async page(@IdParam() id: number, @Req() req: Request, @Res() res: Response) {
    const event = await this.queue.queuedEvent(id);
    const entry = await this.queue.entryOf(id, req.signedCookies?.[queueCookie(id)]);
    const standing = entry && (await this.queue.standing(event, entry));
    if (standing?.status === 'admitted') {
      flash(
        req,
        'success',
        `It is your turn: buy your tickets by ${formatDateTime(standing.expiresAt!)}.`,
      );
      return res.redirect(303, `/buy-tickets/${id}`);
    }
    res.set('Cache-Control', 'no-store').render('queue/queue', {
      title: `Queue for ${event.title}`,
      event,
      standing,
      opened: event.onSaleAt !== null && event.onSaleAt <= new Date(),
      proofRequired: this.proofs.required,
      refreshSeconds: standing?.status === 'waiting' ? REFRESH_SECONDS : undefined,
    });
  }

  /** A proof-of-work challenge (ALTCHA v1) for the join form's script to solve. */
  @Get('challenge')
  @Header('Cache-Control', 'no-store')
  async challenge(@IdParam() id: number) {
    await this.queue.queuedEvent(id);
    return this.proofs.challenge();
  }

  @Post()
  async join(
    @IdParam() id: number,
    @Body('altcha') proof: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const event = await this.queue.queuedEvent(id);
    const cookie = queueCookie(id);
    const token = await this.queue.join(event, req.signedCookies?.[cookie], req.ip ?? '', proof);
    res.cookie(cookie, token, signedCookieOptions(req));
    return res.redirect(303, queuePath(id));
  }
}
