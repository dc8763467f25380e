import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who runs events: its members (memberships) manage them by their role. */
@Entity('organisations')
export class Organisation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The account that made it (each account gets one at registration); null when made otherwise. */
  @Column({ name: 'founder_id', type: 'integer', nullable: true })
  founderId!: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
