import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * What a member may do in an organisation: `owner` everything, members included; `manager`
 * events, bookings, refunds and codes; `door` check-in and the bookings list, nothing else.
 */
export type MemberRole = 'owner' | 'manager' | 'door';

export const MEMBER_ROLES: readonly MemberRole[] = ['owner', 'manager', 'door'];

@Entity('memberships')
@Unique('memberships_one_per_user', ['userId', 'organisationId'])
export class Membership {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id' })
  organisationId!: number;

  @Column({ name: 'user_id' })
  userId!: number;

  @Column({ type: 'varchar', length: 10 })
  role!: MemberRole;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
