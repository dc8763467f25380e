import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MailKind =
  | 'booking.confirmed'
  | 'booking.cancelled'
  | 'booking.payment_due'
  | 'booking.expired'
  | 'booking.refunded'
  | 'waiting_list.offered'
  | 'team.invitation'
  | AccountMailKind;

export type AccountMailKind = 'account.password_reset' | 'account.email_change';

export const isAccountMailKind = (kind: MailKind): kind is AccountMailKind =>
  kind.startsWith('account.');

/** One mail to send (or sent): see the outbox migration and OutboxWorker. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  kind!: MailKind;

  /** What the mail is about: a booking, a waiting-list entry (its offer)… */
  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId!: number | null;

  @Column({ name: 'waiting_list_entry_id', type: 'integer', nullable: true })
  waitingListEntryId!: number | null;

  /** …or a link mailed to an account's owner (account_tokens). */
  @Column({ name: 'account_token_id', type: 'integer', nullable: true })
  accountTokenId!: number | null;

  /** …or an invitation to join an organisation. */
  @Column({ name: 'invitation_id', type: 'integer', nullable: true })
  invitationId!: number | null;

  /** The booking's event: its mails are paced together (MAILS_PER_EVENT_PER_MINUTE). */
  @Column({ name: 'event_id', type: 'integer', nullable: true })
  eventId!: number | null;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  /** Sending attempts started so far (counted when a worker claims the row). */
  @Column({ default: 0 })
  attempts!: number;

  /** Not to be tried before this; a worker that claims the row pushes it ahead for as long as it may take. */
  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt!: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt!: Date | null;

  /** The mail server refused the mail for good, or the last attempt failed: no more tries. */
  @Column({ name: 'gave_up_at', type: Date, nullable: true })
  gaveUpAt!: Date | null;

  /** Over a limit (too many mails to this recipient): never sent, kept with the reason. */
  @Column({ name: 'suppressed_at', type: Date, nullable: true })
  suppressedAt!: Date | null;

  @Column({ name: 'suppressed_reason', type: 'varchar', length: 200, nullable: true })
  suppressedReason!: string | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
