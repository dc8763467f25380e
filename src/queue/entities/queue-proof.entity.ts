import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A proof of work already used to join: each challenge joins once (kept until it expires). */
@Entity('queue_proofs')
export class QueueProof {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  challenge!: string;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;
}
