import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The single row (id 1) of site-wide settings, shown in every page's header. */
@Entity('site_settings')
export class SiteSettings {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  /** ISO 4217: every price is shown in it. */
  @Column({ type: 'varchar', length: 3, default: 'EUR' })
  currency!: string;

  /** New organisers' events go public only once an admin has approved the account. */
  @Column({ name: 'organiser_approval', type: 'boolean', default: false })
  organiserApproval!: boolean;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
