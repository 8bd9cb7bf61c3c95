import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@app/auth';
import { Membership, Organization, User } from '../entities';
import { TransactionalRepository } from './base';

export interface MemberRow {
  membership: Membership;
  user: Pick<User, 'id' | 'email' | 'displayName' | 'language' | 'phone'>;
}

export interface MembershipWithOrganization {
  membership: Membership;
  organization: Pick<Organization, 'id' | 'name'>;
}

@Injectable()
export class MembershipRepository extends TransactionalRepository<Membership> {
  constructor(dataSource: DataSource) {
    super(dataSource, Membership);
  }

  async create(m: Pick<Membership, 'organizationId' | 'userId' | 'role'>, manager?: EntityManager): Promise<Membership> {
    return this.repo(manager).save(this.repo(manager).create({ ...m, status: 'active' }));
  }

  findById(id: string, manager?: EntityManager): Promise<Membership | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByOrganizationAndUser(organizationId: string, userId: string, manager?: EntityManager): Promise<Membership | null> {
    return this.repo(manager).findOneBy({ organizationId, userId });
  }

  /** The person's active memberships, oldest first, with the organization's name. Runs on every login. */
  async listActiveForUser(userId: string): Promise<MembershipWithOrganization[]> {
    const rows = await this.dataSource.query<(Membership & { organizationName: string })[]>(
      `SELECT m.id, m.organization_id AS "organizationId", m.user_id AS "userId", m.role, m.status,
              m.deactivated_at AS "deactivatedAt", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
              o.name AS "organizationName"
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 AND m.status = 'active'
        ORDER BY m.created_at, m.id`,
      [userId],
    );
    return rows.map(({ organizationName, ...membership }) => ({
      membership,
      organization: { id: membership.organizationId, name: organizationName },
    }));
  }

  async listForOrganization(organizationId: string, limit: number, offset: number): Promise<[MemberRow[], number]> {
    const [rows, total] = await this.repo()
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where('m.organization_id = :organizationId', { organizationId })
      .orderBy('u.display_name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return [rows.map((m) => ({ membership: m, user: m.user! })), total];
  }

  /** Locks the organization's active organizers, so two demotions cannot both leave none. */
  async countActiveOrganizersForUpdate(organizationId: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<unknown[]>(
      `SELECT id FROM memberships WHERE organization_id = $1 AND role = 'organizer' AND status = 'active' FOR UPDATE`,
      [organizationId],
    );
    return rows.length;
  }

  /** Of these people, those who are active members of the organization. */
  async activeUserIds(organizationId: string, userIds: string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ userId: string }[]>(
      `SELECT user_id AS "userId" FROM memberships WHERE organization_id = $1 AND status = 'active' AND user_id = ANY($2::uuid[])`,
      [organizationId, userIds],
    );
    return rows.map((r) => r.userId);
  }

  async setRole(id: string, role: Role, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { role });
  }

  async setStatus(id: string, status: Membership['status'], at: Date | null, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { status, deactivatedAt: at });
  }
}
