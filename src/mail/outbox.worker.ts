import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { BookingService } from '../bookings/booking.service';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { SettingsService } from '../settings/settings.service';
import { BookingMailComposer } from './booking-mail.composer';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailTransport } from './mail-transport';
import { OutboxService } from './outbox.service';
import { retryDelayMs } from './retry-backoff';

/** Mails claimed at once; each is sent before the next batch is claimed. */
const BATCH_SIZE = 10;
/** A claimed mail is left alone by other processes this long: far longer than one send can take. */
const LEASE_MS = 5 * 60_000;
/** How often to look for retries that fell due, at most (sooner when MAIL_RETRY_BASE_MS is shorter). */
const POLL_MS = 5000;

/**
 * Sends the outbox: woken after every commit in this process (a booking's mail goes out at
 * once), every few seconds (retries, and mails queued by other processes or left by one that
 * stopped), and at start-up. One pass at a time per process; between processes the claim in
 * OutboxService keeps a mail from being sent by two of them.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private lookAgain = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxService,
    private readonly bookings: BookingService,
    private readonly settings: SettingsService,
    private readonly composer: BookingMailComposer,
    private readonly transport: MailTransport,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.transactions.onCommit(() => this.wake());
    this.timer = setInterval(() => this.wake(), Math.min(POLL_MS, this.config.mail.retryBaseMs));
    this.timer.unref();
    this.wake();
  }

  /** No new sends once the app is closing; the one under way finishes (its connection is bounded). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.lookAgain = true;
      return;
    }
    this.pass = this.sendDue().finally(() => {
      this.pass = undefined;
      if (this.lookAgain) {
        this.lookAgain = false;
        this.wake();
      }
    });
  }

  private async sendDue(): Promise<void> {
    try {
      while (!this.stopped && (await this.outbox.anyDue())) {
        const claimed = await this.outbox.claimDue(BATCH_SIZE, LEASE_MS);
        if (claimed.length === 0) return; // another process took them
        for (const [index, message] of claimed.entries()) {
          if (this.stopped) {
            await this.outbox.release(claimed.slice(index).map((unsent) => unsent.id));
            return;
          }
          await this.send(message);
        }
      }
    } catch (error) {
      // The database is unreachable or closing: claimed mails are retried when their lease ends.
      this.logger.warn(`outbox: ${oneLine(error)}`);
    }
  }

  private async send(message: OutboxMessage): Promise<void> {
    try {
      const booking = await this.bookings.findDetailsById(message.bookingId);
      const { name } = await this.settings.get();
      const mail = await this.composer.compose(message.kind, message.recipient, booking, name);
      await this.transport.send(mail, `${message.id}-${message.kind}`);
    } catch (error) {
      const delayMs = retryDelayMs(message.attempts, this.config.mail.retryBaseMs);
      this.logger.warn(
        `mail ${message.id} (${message.kind}) failed on attempt ${message.attempts}, ` +
          `next try in ${Math.ceil(delayMs / 1000)} s: ${oneLine(error)}`,
      );
      await this.outbox.markFailed(message.id, oneLine(error), new Date(Date.now() + delayMs));
      return;
    }
    await this.outbox.markSent(message.id);
  }
}

const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
