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
import { givesUp, retryDelayMs } from './retry-policy';

/** Mails claimed at once, sent one by one and marked sent together. */
const BATCH_SIZE = 10;
/** A claimed mail is left alone by other processes this long: far longer than a batch can take. */
const LEASE_MS = 5 * 60_000;
/** How often to look for retries that fell due, at most (sooner when MAIL_RETRY_BASE_MS is shorter). */
const POLL_MS = 5000;
/** A wake-up waits this long, so that one pass takes the mails of many bookings of a rush at once. */
const WAKE_DELAY_MS = 50;

/**
 * Sends the outbox: woken after every announced commit in this process (a booking's mail goes
 * out at once), every few seconds (retries, and mails queued by other processes or left by one
 * that stopped), and at start-up. One pass at a time per process; between processes the claim
 * in OutboxService keeps a mail from being sent by two of them.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
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
    clearTimeout(this.pending);
    await this.pass;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.lookAgain = true;
      return;
    }
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.pass = this.sendDue().finally(() => {
        this.pass = undefined;
        if (this.lookAgain) {
          this.lookAgain = false;
          this.wake();
        }
      });
    }, WAKE_DELAY_MS);
    this.pending.unref();
  }

  private async sendDue(): Promise<void> {
    try {
      while (!this.stopped && (await this.outbox.anyDue())) {
        const claimedAt = Date.now();
        const claimed = await this.outbox.claimDue(BATCH_SIZE, LEASE_MS);
        if (claimed.length === 0) return; // another process took them
        const done: number[] = [];
        try {
          for (const [index, message] of claimed.entries()) {
            // Closing, or a slow mail server ate half the lease: give the rest back before
            // another process may take them, so no mail goes out twice.
            if (this.stopped || Date.now() - claimedAt > LEASE_MS / 2) {
              await this.outbox.release(claimed.slice(index).map((unsent) => unsent.id));
              break;
            }
            if (await this.send(message)) done.push(message.id);
          }
        } finally {
          await this.outbox.markSent(done);
        }
      }
    } catch (error) {
      // The database is unreachable or closing: claimed mails are retried when their lease ends.
      this.logger.warn(`outbox: ${oneLine(error)}`);
    }
  }

  /** Sends one mail; true when it is done with (sent, or no longer wanted), false to retry later. */
  private async send(message: OutboxMessage): Promise<boolean> {
    try {
      const booking = await this.bookings.findDetailsById(message.bookingId);
      // Cancelled while its confirmation waited for the mail server: the cancellation says it all.
      if (message.kind === 'booking.confirmed' && booking.status === 'cancelled') return true;
      const { name } = await this.settings.get();
      const mail = this.composer.compose(message.kind, message.recipient, booking, name);
      await this.transport.send(mail, `${message.id}-${message.kind}`);
      return true;
    } catch (error) {
      if (givesUp(message.attempts, error)) {
        this.logger.error(
          `mail ${message.id} (${message.kind}) to ${message.recipient} given up after ` +
            `attempt ${message.attempts}: ${oneLine(error)}`,
        );
        await this.outbox.giveUp(message.id, oneLine(error));
        return false;
      }
      const delayMs = retryDelayMs(message.attempts, this.config.mail.retryBaseMs);
      this.logger.warn(
        `mail ${message.id} (${message.kind}) failed on attempt ${message.attempts}, ` +
          `next try in ${Math.ceil(delayMs / 1000)} s: ${oneLine(error)}`,
      );
      await this.outbox.markFailed(message.id, oneLine(error), new Date(Date.now() + delayMs));
      return false;
    }
  }
}

const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
