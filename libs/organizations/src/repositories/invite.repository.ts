import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Role } from '@app/auth';
import { Invite } from '../entities';
import { TransactionalRepository } from './base';

@Injectable()
export class InviteRepository extends TransactionalRepository<Invite> {
  constructor(dataSource: DataSource) {
    super(dataSource, Invite);
  }

  async create(
    invite: Pick<Invite, 'organizationId' | 'role' | 'email' | 'tokenHash' | 'expiresAt' | 'createdByUserId'>,
    manager?: EntityManager,
  ): Promise<Invite> {
    return this.repo(manager).save(this.repo(manager).create(invite));
  }

  findById(id: string): Promise<Invite | null> {
    return this.repo().findOneBy({ id });
  }

  findByTokenHash(tokenHash: string, manager?: EntityManager): Promise<Invite | null> {
    return this.repo(manager).findOneBy({ tokenHash });
  }

  /**
   * Pending invites (not accepted, not revoked), newest first, of one role when `role` is given.
   * Expired ones are included and marked by the caller.
   */
  listPendingForOrganization(organizationId: string, limit: number, offset: number, role?: Role): Promise<[Invite[], number]> {
    return this.repo().findAndCount({
      where: { organizationId, acceptedAt: IsNull(), revokedAt: IsNull(), ...(role ? { role } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  /** Marks the invite used if, and only if, it is still usable; false when another request won. */
  async markAccepted(id: string, userId: string, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Invite)
      .set({ acceptedAt: at, acceptedByUserId: userId })
      .where('id = :id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :at', { id, at })
      .execute();
    return result.affected === 1;
  }

  async markRevoked(id: string, at: Date): Promise<boolean> {
    const result = await this.repo()
      .createQueryBuilder()
      .update(Invite)
      .set({ revokedAt: at })
      .where('id = :id AND accepted_at IS NULL AND revoked_at IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const result = await this.repo()
      .createQueryBuilder()
      .delete()
      .from(Invite)
      .where('accepted_at IS NULL AND expires_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
