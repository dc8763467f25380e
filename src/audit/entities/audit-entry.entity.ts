import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @CreateDateColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  /** The user who acted; null for an attendee with their booking's secret, or the app itself. */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId!: number | null;

  /** Who, as shown: the user's email, "attendee", or "system" (start-up configuration). */
  @Column({ type: 'varchar', length: 254 })
  actor!: string;

  @Column({ type: 'varchar', length: 40 })
  action!: AuditAction;

  /** What, as shown: e.g. `event 12 "Jazz Night"`. */
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  details!: string;
}

export type AuditAction =
  | 'user.registered'
  | 'user.promoted'
  | 'user.approved'
  | 'user.password-reset'
  | 'user.password-changed'
  | 'user.email-changed'
  | 'user.two-factor-enabled'
  | 'user.two-factor-disabled'
  | 'event.created'
  | 'event.updated'
  | 'event.published'
  | 'event.deleted'
  | 'event.queue-paused'
  | 'event.queue-resumed'
  | 'event.dates.added'
  | 'event.seating.changed'
  | 'event.date.deleted'
  | 'event.date.cancelled'
  | 'settings.updated'
  | 'booking.cancelled'
  | 'booking.checked-in'
  | 'booking.marked-paid'
  | 'booking.refunded'
  | 'team.invited'
  | 'team.invitation-revoked'
  | 'team.joined'
  | 'team.role-changed'
  | 'team.removed'
  | 'team.left'
  | 'team.renamed'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.secret-rotated'
  | 'api-token.created'
  | 'api-token.revoked'
  | 'voucher.created'
  | 'voucher.deleted'
  | 'waiting-list.joined'
  | 'waiting-list.removed';
