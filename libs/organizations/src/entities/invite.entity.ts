import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Role } from '@app/auth';
import { Organization } from './organization.entity';

/** A link that lets one person join an organization with a role. Only the token's hash is kept. */
@Entity({ name: 'invites' })
@Unique('uq_invites_token_hash', ['tokenHash'])
@Index('ix_invites_organization_created', ['organizationId', 'createdAt'])
@Check('ck_invites_role', `"role" IN ('organizer', 'coordinator', 'volunteer')`)
export class Invite {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_invites' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_invites_organization' })
  organization?: Organization;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** When set, only this address can accept. */
  @Column({ type: 'citext', nullable: true })
  email: string | null;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acceptedByUserId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
