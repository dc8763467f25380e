import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MemberRole } from '../../auth/entities/membership.entity';

/** A mailed single-use link that makes whoever opens it (logged in) a member, with `role`. */
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id' })
  organisationId!: number;

  /** Where the link was mailed (shown to the owners while it is pending). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 10 })
  role!: MemberRole;

  /** Signed into the link with the app's secret (AccountLinks); the link itself is stored nowhere. */
  @Column({ type: 'varchar', length: 64, select: false })
  nonce!: string;

  @Column({ name: 'invited_by_id', type: 'integer', nullable: true })
  invitedById!: number | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'accepted_at', type: Date, nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
