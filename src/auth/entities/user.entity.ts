import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type Role = 'organiser' | 'admin';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Always stored lower-case, so lookups need no case folding. */
  @Column({ unique: true })
  email!: string;

  @Column({ name: 'password_hash', select: false })
  passwordHash!: string;

  @Column({ name: 'display_name' })
  displayName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  /** When an admin approved the account (see site_settings.organiser_approval); null: not yet. */
  @Column({ name: 'approved_at', type: Date, nullable: true })
  approvedAt!: Date | null;

  /** The TOTP secret, sealed (SecretBox); set while enrolled. */
  @Column({ name: 'totp_secret', type: 'varchar', length: 200, nullable: true, select: false })
  totpSecret!: string | null;

  /** Since when logging in asks for a code; null: two-factor sign-in is off. */
  @Column({ name: 'totp_enabled_at', type: Date, nullable: true })
  totpEnabledAt!: Date | null;

  /** The time step of the last code accepted: each code logs in once. */
  @Column({ name: 'totp_last_step', type: 'integer', nullable: true, select: false })
  totpLastStep!: number | null;
}
