import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import { DateCancellation } from './date-cancellation.service';

/** The dates page's "Cancel this date" button (see EventDatesController for the page). */
@Controller('organiser/events/:id/dates/:dateId/cancel')
@UseGuards(LoggedInGuard)
export class DateCancellationController {
  constructor(private readonly cancellation: DateCancellation) {}

  @Post()
  async cancel(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @IdParam('dateId') dateId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { cancelled, refunded, failed } = await this.cancellation.cancel(user, id, dateId);
    const ended = cancelled + refunded;
    flash(
      req,
      failed.length ? 'error' : 'success',
      `Date cancelled. ${ended} booking${ended === 1 ? '' : 's'} cancelled (${refunded} refunded in full); each attendee is mailed.` +
        (failed.length
          ? ` The payment provider refused ${failed.length} refund${failed.length === 1 ? '' : 's'} (${failed.join(', ')}): cancel the date again to retry.`
          : ''),
    );
    return res.redirect(303, `/organiser/events/${id}/dates`);
  }
}
