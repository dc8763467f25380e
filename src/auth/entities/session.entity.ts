import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One express-session, stored by DatabaseSessionStore on a connection of its own. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  /** Unix milliseconds; a session past it is treated as absent and pruned. */
  @Index()
  @Column({
    name: 'expires_at',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: Number },
  })
  expiresAt!: number;

  @Column({ type: 'text' })
  data!: string;
}
