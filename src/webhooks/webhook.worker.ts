import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bookingJson } from '../bookings/booking.json';
import { BookingService } from '../bookings/booking.service';
import { BackgroundPass } from '../common/background-pass';
import { oneLine, retryDelayMs } from '../common/retry-policy';
import { AppConfig } from '../config/app-config';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { AttemptOutcome, WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { postWebhook } from './webhook-sender';
import { TEST_EVENT } from './webhook-events';
import { signatureHeader } from './webhook-signature';

/** Deliveries claimed at once and sent side by side. */
const BATCH_SIZE = 20;
/** A claimed delivery is left alone by other processes this long: far longer than one attempt may take. */
const LEASE_MS = 2 * 60_000;
/** A delivery is tried for this long after it was queued, then given up. */
const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
const POLL_MS = 2000;
const WAKE_DELAY_MS = 20;

/**
 * Sends webhook deliveries: woken when they are queued in this process, every two seconds
 * (retries, and what other processes queued), and at start-up. Each is signed with its
 * endpoint's secret and retried while the receiver does not answer 2xx within the timeout:
 * after the base delay (10 s), then twice as long each time (at most an hour apart), until a
 * day has passed since it was queued. A receiver that hangs holds up only its own deliveries,
 * never a booking (they only queue a row).
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private readonly background: BackgroundPass;

  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly endpoints: WebhookEndpoints,
    private readonly bookings: BookingService,
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {
    this.background = new BackgroundPass(() => this.sendDue(), {
      delayMs: WAKE_DELAY_MS,
      pollMs: Math.min(POLL_MS, config.webhooks.retryBaseMs),
    });
  }

  onApplicationBootstrap(): void {
    this.background.start();
  }

  wake(): void {
    this.background.wake();
  }

  /** No new attempts once the app is closing; those under way finish (each is bounded by the timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.background.stop();
  }

  private async sendDue(): Promise<void> {
    try {
      while (!this.background.isStopped && (await this.deliveries.anyDue(this.db.manager))) {
        const claimed = await this.deliveries.claimDue(BATCH_SIZE, LEASE_MS);
        if (claimed.length === 0) return;
        await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      }
    } catch (error) {
      // The database is unreachable or closing: claimed deliveries are retried when their lease ends.
      this.logger.warn(`webhooks: ${oneLine(error)}`);
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    let outcome: AttemptOutcome;
    try {
      const target = await this.endpoints.target(delivery.endpointId);
      if (!target) return; // removed meanwhile (its deliveries go with it)
      const body = delivery.payload ?? (await this.payloadOf(delivery));
      const unixSeconds = Math.floor(Date.now() / 1000);
      const answer = await postWebhook(
        target.url,
        body,
        {
          'boxoffice-signature': signatureHeader(target.secret, body, unixSeconds),
          'boxoffice-delivery': String(delivery.id),
          'boxoffice-event': delivery.event,
        },
        this.config.webhooks,
      );
      outcome =
        answer.status >= 200 && answer.status < 300
          ? { delivered: true, responseCode: answer.status }
          : this.failed(delivery, answer.status, `the receiver answered ${answer.status}`);
    } catch (error) {
      outcome = this.failed(delivery, null, oneLine(error), error instanceof NotFoundException);
    }
    await this.deliveries.record(delivery.id, outcome);
  }

  private failed(
    delivery: WebhookDelivery,
    responseCode: number | null,
    error: string,
    permanent = false,
  ): AttemptOutcome {
    const retryAt = new Date(
      Date.now() + retryDelayMs(delivery.attempts, this.config.webhooks.retryBaseMs),
    );
    const inTime = retryAt.getTime() - delivery.createdAt.getTime() <= GIVE_UP_AFTER_MS;
    if (!inTime || permanent)
      this.logger.warn(
        `webhook delivery ${delivery.id} (${delivery.event}) given up after attempt ${delivery.attempts}: ${error}`,
      );
    return {
      delivered: false,
      responseCode,
      error,
      retryAt: inTime && !permanent ? retryAt : null,
    };
  }

  /** The body: what happened, when, and the booking as the API shows it now. Kept for the retries. */
  private async payloadOf(delivery: WebhookDelivery): Promise<string> {
    const aboutABooking = delivery.event !== TEST_EVENT;
    // Deleted with its event while the delivery waited: there is nothing left to tell.
    if (aboutABooking && delivery.bookingId === null)
      throw new NotFoundException('the booking no longer exists');
    const booking = aboutABooking
      ? await this.bookings.findDetailsById(delivery.bookingId!)
      : undefined;
    const payload = JSON.stringify({
      id: String(delivery.id),
      type: delivery.event,
      createdAt: delivery.createdAt.toISOString(),
      data: booking ? { booking: bookingJson(booking) } : {},
    });
    await this.deliveries.keepPayload(delivery.id, payload);
    return payload;
  }
}
