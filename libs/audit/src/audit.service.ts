import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page, PageQueryDto } from '@app/core';
import { AuditLogEntry, AuditMetadata } from './entities/audit-log-entry.entity';

export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.updated',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.refresh_reuse_detected',
  'auth.reauth_failed',
  'auth.password_changed',
  'auth.password_change_failed',
  'auth.password_reset_requested',
  'auth.password_reset',
  'invite.created',
  'invite.revoked',
  'invite.accepted',
  'member.role_changed',
  'member.deactivated',
  'member.reactivated',
  'turfs.cut',
  'turf.doors_moved',
  'turf.renamed',
  'route.assigned',
  'route.released',
  'route.claimed',
  'visit.reviewed',
  'visits.entered_from_paper',
  'follow_up.closed',
  'export.coverage',
  'export.doors',
  'export.follow_ups',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  action: AuditAction;
  organizationId: string | null;
  actorUserId: string | null;
  targetType?: string;
  targetId?: string;
  metadata?: AuditMetadata;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditLogEntry)
    private readonly entries: Repository<AuditLogEntry>,
  ) {}

  /** Writes one entry; pass the transaction's manager so the entry commits or rolls back with the change. */
  async record(entry: AuditRecord, manager?: EntityManager): Promise<void> {
    // Plain SQL: one entry is written on every login and most changes.
    await (manager ?? this.entries.manager).query(
      `INSERT INTO audit_log (action, organization_id, actor_user_id, target_type, target_id, metadata) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.action,
        entry.organizationId,
        entry.actorUserId,
        entry.targetType ?? null,
        entry.targetId ?? null,
        JSON.stringify(entry.metadata ?? {}),
      ],
    );
  }

  async listForOrganization(organizationId: string, page: PageQueryDto): Promise<Page<AuditLogEntry>> {
    const [items, total] = await this.entries.findAndCount({
      where: { organizationId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total, limit: page.limit, offset: page.offset };
  }
}
