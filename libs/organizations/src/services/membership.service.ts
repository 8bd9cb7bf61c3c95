import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, assertInOrganization, Role } from '@app/auth';
import { AuditService } from '@app/audit';
import { AppError, Clock, Page, PageQueryDto } from '@app/core';
import { Membership } from '../entities';
import { MemberRow, MembershipRepository } from '../repositories/membership.repository';
import { SessionRepository } from '../repositories/session.repository';

@Injectable()
export class MembershipService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, page: PageQueryDto): Promise<Page<MemberRow>> {
    const [items, total] = await this.memberships.listForOrganization(actor.organizationId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** Of these people, those who are active members of the actor's organization. */
  activeUserIds(actor: Actor, userIds: string[]): Promise<string[]> {
    return this.memberships.activeUserIds(actor.organizationId, userIds);
  }

  async changeRole(actor: Actor, membershipId: string, role: Role): Promise<Membership> {
    return this.dataSource.transaction(async (manager) => {
      const m = assertInOrganization(actor, await this.memberships.findById(membershipId, manager), 'Member');
      if (m.role === role) return m;
      if (m.role === 'organizer' && m.status === 'active') await this.assertNotLastOrganizer(actor.organizationId, manager);
      await this.memberships.setRole(m.id, role, manager);
      await this.audit.record(
        {
          action: 'member.role_changed',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'membership',
          targetId: m.id,
          metadata: { from: m.role, to: role },
        },
        manager,
      );
      return { ...m, role };
    });
  }

  /** Cuts the member's access at once: their sessions in this organization are revoked in the same transaction. */
  async deactivate(actor: Actor, membershipId: string): Promise<Membership> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const m = assertInOrganization(actor, await this.memberships.findById(membershipId, manager), 'Member');
      if (m.status === 'deactivated') return m;
      if (m.role === 'organizer') await this.assertNotLastOrganizer(actor.organizationId, manager);
      await this.memberships.setStatus(m.id, 'deactivated', now, manager);
      const revoked = await this.sessions.revokeAllForMembership(m.id, 'member_deactivated', now, manager);
      await this.audit.record(
        {
          action: 'member.deactivated',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'membership',
          targetId: m.id,
          metadata: { sessionsRevoked: revoked },
        },
        manager,
      );
      return { ...m, status: 'deactivated', deactivatedAt: now };
    });
  }

  async reactivate(actor: Actor, membershipId: string): Promise<Membership> {
    return this.dataSource.transaction(async (manager) => {
      const m = assertInOrganization(actor, await this.memberships.findById(membershipId, manager), 'Member');
      if (m.status === 'active') return m;
      await this.memberships.setStatus(m.id, 'active', null, manager);
      await this.audit.record(
        {
          action: 'member.reactivated',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'membership',
          targetId: m.id,
        },
        manager,
      );
      return { ...m, status: 'active', deactivatedAt: null };
    });
  }

  private async assertNotLastOrganizer(organizationId: string, manager: import('typeorm').EntityManager): Promise<void> {
    if ((await this.memberships.countActiveOrganizersForUpdate(organizationId, manager)) <= 1) {
      throw new AppError('LAST_ORGANIZER', 'An organization needs at least one active organizer; make someone else organizer first');
    }
  }
}
