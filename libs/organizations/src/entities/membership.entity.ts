import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from '@app/auth';
import { Organization } from './organization.entity';
import { User } from './user.entity';

export const MEMBERSHIP_STATUSES = ['active', 'deactivated'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** One person's role in one organization. */
@Entity({ name: 'memberships' })
@Unique('uq_memberships_organization_user', ['organizationId', 'userId'])
@Index('ix_memberships_user', ['userId'])
@Check('ck_memberships_role', `"role" IN ('organizer', 'coordinator', 'volunteer')`)
@Check('ck_memberships_status', `"status" IN ('active', 'deactivated')`)
export class Membership {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_memberships' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_memberships_organization' })
  organization?: Organization;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memberships_user' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: MembershipStatus;

  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
