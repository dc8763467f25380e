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
}
