import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AccountTokenPurpose = 'password_reset' | 'email_change';

/**
 * A single-use link mailed to an account's owner. The link itself is never stored: it is
 * derived from the row and the app's secret (AccountLinks), so the table alone opens nothing.
 */
@Entity('account_tokens')
export class AccountToken {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'user_id' })
  userId!: number;

  @Column({ type: 'varchar', length: 20 })
  purpose!: AccountTokenPurpose;

  @Column({ type: 'varchar', length: 64 })
  nonce!: string;

  /** The address to change to (an email change); it is also where the link is mailed. */
  @Column({ name: 'new_email', type: 'varchar', length: 254, nullable: true })
  newEmail!: string | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
