import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One login of an account: listed on /account, ended from there, by a reset, or by logging out. */
@Entity('account_sessions')
export class AccountSession {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'user_id' })
  userId!: number;

  /** Kept in the session beside the user id: a request is logged in only while its row is not ended. */
  @Column({ name: 'login_key', type: 'varchar', length: 64, unique: true })
  loginKey!: string;

  /** The express-session id, so that ending a login also deletes its session from the store. */
  @Column({ name: 'session_id', type: 'varchar', length: 255 })
  sessionId!: string;

  @Column({ type: 'varchar', length: 64 })
  ip!: string;

  @Column({ name: 'user_agent', type: 'varchar', length: 200 })
  userAgent!: string;

  /** The organisation this login works in (switched on the dashboard); null: the oldest membership. */
  @Column({ name: 'organisation_id', type: 'integer', nullable: true })
  organisationId!: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'ended_at', type: Date, nullable: true })
  endedAt!: Date | null;
}
