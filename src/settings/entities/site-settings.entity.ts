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

  /** What a buyer paying by bank transfer is told (account, IBAN…); empty: the method is not offered. */
  @Column({ name: 'bank_transfer_instructions', type: 'text', default: '' })
  bankTransferInstructions!: string;

  /** How many days a booking to be paid by transfer is held. */
  @Column({ name: 'bank_transfer_days', default: 3 })
  bankTransferDays!: number;

  /** Paying at the door is offered. */
  @Column({ name: 'on_site_payment', type: 'boolean', default: true })
  onSitePayment!: boolean;

  /** New organisers' events go public only once an admin has approved the account. */
  @Column({ name: 'organiser_approval', type: 'boolean', default: false })
  organiserApproval!: boolean;

  /** Admins must use two-factor sign-in: one without it is sent to set it up first. */
  @Column({ name: 'require_two_factor_for_admins', type: 'boolean', default: false })
  requireTwoFactorForAdmins!: boolean;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
