import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { AccountTokensService } from '../auth/account/account-tokens.service';
import { InvitationsService } from '../teams/invitations.service';
import { BookingService } from '../bookings/booking.service';
import { WaitingListService } from '../waiting-list/waiting-list.service';
import { BackgroundPass } from '../common/background-pass';
import { loggable } from '../common/loggable';
import { givesUp, oneLine, retryDelayMs } from '../common/retry-policy';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import type { BookingStatus } from '../bookings/entities/booking.entity';
import { isAccountMailKind, MailKind, OutboxMessage } from './entities/outbox-message.entity';
import type { MailSite } from './mail-thread.protocol';
import { MailSender } from './mail-sender';
import { OutboxService } from './outbox.service';

/**
 * Mails claimed at once, sent side by side and marked sent together: two write transactions for
 * the mails of 50 bookings, which share SQLite's one write queue with the buyers of a rush.
 */
const BATCH_SIZE = 50;
/**
 * A claimed mail is left alone by other processes this long. A batch takes far less: its mails
 * go out over five SMTP connections (MailTransport), each send bounded by the SMTP timeouts
 * (about a minute at worst), so ten rounds of sends.
 */
const LEASE_MS = 15 * 60_000;
/** How often to look for retries that fell due, at most (sooner when MAIL_RETRY_BASE_MS is shorter). */
const POLL_MS = 5000;
/** A wake-up waits this long, so that one pass takes the mails of many bookings of a rush at once. */
const WAKE_DELAY_MS = 50;

/**
 * Sends the outbox: woken when mails are queued in this process (a booking's mail goes out at
 * once), every few seconds (retries, and mails queued by other processes or left by one that
 * stopped), and at start-up. One pass at a time per process; between processes the claim in
 * OutboxService keeps a mail from being sent by two of them. The mails themselves are written
 * and sent on MailSender's thread.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly background: BackgroundPass;

  constructor(
    private readonly outbox: OutboxService,
    private readonly bookings: BookingService,
    private readonly waitingList: WaitingListService,
    private readonly accountTokens: AccountTokensService,
    private readonly invitations: InvitationsService,
    private readonly settings: SettingsService,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
  ) {
    this.background = new BackgroundPass(() => this.sendDue(), {
      delayMs: WAKE_DELAY_MS,
      pollMs: Math.min(POLL_MS, this.config.mail.retryBaseMs),
    });
  }

  onApplicationBootstrap(): void {
    this.background.start();
  }

  wake(): void {
    this.background.wake();
  }

  /** No new sends once the app is closing; the batch under way finishes (each send is bounded). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.background.stop();
    await this.sender.close();
  }

  private async sendDue(): Promise<void> {
    try {
      while (!this.background.isStopped && (await this.outbox.anyDue())) {
        const claimed = await this.outbox.claimDue(BATCH_SIZE, LEASE_MS);
        if (claimed.length === 0) return; // another process took them
        const { name, currency, bankTransferInstructions } = await this.settings.get();
        const site = { name, currency, bankTransferInstructions };
        const done = await Promise.all(claimed.map((message) => this.send(message, site)));
        await this.outbox.markSent(claimed.filter((_, index) => done[index]).map(({ id }) => id));
      }
    } catch (error) {
      // The database is unreachable or closing: claimed mails are retried when their lease ends.
      this.logger.warn(`outbox: ${oneLine(error)}`);
    }
  }

  /** Sends one mail; true when it is done with (sent, or no longer wanted), false to retry later. */
  private async send(message: OutboxMessage, site: MailSite): Promise<boolean> {
    try {
      const about = { recipient: message.recipient, site, name: `${message.id}-${message.kind}` };
      if (isAccountMailKind(message.kind)) {
        const link = await this.accountTokens.mailFor(message.accountTokenId!);
        // Used or expired while the mail waited: there is nothing left to send.
        if (!link) return true;
        await this.sender.send({ ...about, kind: message.kind, link });
        return true;
      }
      if (message.kind === 'team.invitation') {
        const invitation = await this.invitations.mailFor(message.invitationId!);
        // Accepted, revoked or expired while the mail waited: the link would not work.
        if (!invitation) return true;
        await this.sender.send({ ...about, kind: message.kind, invitation });
        return true;
      }
      if (message.kind === 'waiting_list.offered') {
        const offer = await this.waitingList.offerForMail(message.waitingListEntryId!);
        // Taken up, lapsed or removed while the mail waited: it would only mislead.
        if (!offer) return true;
        await this.sender.send({ ...about, kind: message.kind, offer });
        return true;
      }
      const booking = await this.bookings.findDetailsById(message.bookingId!);
      if (overtaken(message.kind, booking.status)) return true;
      await this.sender.send({ ...about, kind: message.kind, booking });
      return true;
    } catch (error) {
      if (givesUp(message.attempts, error)) {
        this.logger.error(
          `mail ${message.id} (${message.kind}) to ${loggable(message.recipient)} given up after ` +
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

/**
 * A mail that a later step made pointless while it waited for the mail server: a confirmation
 * of a booking since cancelled (the cancellation says it all), a payment reminder for a booking
 * since paid, lapsed or cancelled.
 */
function overtaken(kind: MailKind, status: BookingStatus): boolean {
  if (kind === 'booking.confirmed') return status === 'cancelled';
  if (kind === 'booking.payment_due') return status !== 'pending';
  return false;
}
