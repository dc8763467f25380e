import { HttpCode, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { EventDateResponse } from '../events/dto/api/event.response';
import { dateJson } from '../events/event.json';
import { EventsService } from '../events/events.service';
import { DateCancellation } from './date-cancellation.service';

export class CancelledDateResponse extends EventDateResponse {
  @ApiProperty({ description: 'Bookings this call cancelled (nothing paid)' })
  bookingsCancelled!: number;

  @ApiProperty({ description: 'Bookings this call refunded in full, and so cancelled' })
  bookingsRefunded!: number;

  @ApiProperty({
    type: [String],
    description: 'Bookings whose refund the payment provider refused: cancel again to retry',
  })
  refundsFailed!: string[];
}

@AdminApiController('events')
export class DateCancellationApiController {
  constructor(
    private readonly cancellation: DateCancellation,
    private readonly events: EventsService,
  ) {}

  @Post(':id/dates/:dateId/cancel')
  @HttpCode(200)
  @ApiJson(200, CancelledDateResponse, 'Cancelled (again: what is left of its bookings ended)')
  async cancel(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @IdParam('dateId') dateId: number,
  ): Promise<CancelledDateResponse> {
    const { cancelled, refunded, failed } = await this.cancellation.cancel(user, id, dateId);
    const [event] = await this.events.withDates([await this.events.findManageable(user, id)]);
    const date = event.dates.find((candidate) => candidate.id === dateId)!;
    return {
      ...dateJson(date, event.ticketTypes),
      bookingsCancelled: cancelled,
      bookingsRefunded: refunded,
      refundsFailed: failed,
    };
  }
}
