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

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
