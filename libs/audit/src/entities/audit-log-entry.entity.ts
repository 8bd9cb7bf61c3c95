import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Ids, counts and codes only. */
export type AuditMetadata = Record<string, string | number | boolean | null>;

/**
 * Who did what, when. Never holds a password, a token, an address or a visit's note; the one
 * free text is the reason an organizer gives for a door-level export, kept because it is the point.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_organization_created', ['organizationId', 'createdAt'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_audit_log' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  targetType: string | null;

  @Column({ type: 'uuid', nullable: true })
  targetId: string | null;

  @Column({ type: 'jsonb', default: {} })
  metadata: AuditMetadata;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
