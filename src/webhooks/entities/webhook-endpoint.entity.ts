import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { WebhookEvent } from '../webhook-events';

/** An HTTPS endpoint an organisation registered, told of its events' bookings (or the site's: of every event's). */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Who registered it. */
  @Column({ name: 'owner_id' })
  ownerId!: number;

  /** Whose events it hears of; null: every event (registered by an admin through the API). */
  @Column({ name: 'organisation_id', type: 'integer', nullable: true })
  organisationId!: number | null;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({
    type: 'varchar',
    length: 200,
    transformer: {
      to: (events: WebhookEvent[]) => events.join(','),
      from: (stored: string) => stored.split(',') as WebhookEvent[],
    },
  })
  events!: WebhookEvent[];

  /** The signing secret, sealed (SecretBox): shown once when made, used to sign every delivery. */
  @Column({ type: 'varchar', length: 200, select: false })
  secret!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
