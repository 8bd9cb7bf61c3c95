import { Injectable } from '@nestjs/common';
import { Actor } from '@app/auth';
import { AuditService } from '@app/audit';
import { NotFoundError } from '@app/core';
import { Organization, OrganizationSettings, User } from '../entities';
import { normalizePhone } from '../phone';
import { MembershipRepository, MembershipWithOrganization } from '../repositories/membership.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { UserRepository } from '../repositories/user.repository';

export interface Me {
  user: User;
  actor: Actor;
  memberships: MembershipWithOrganization[];
}

/** The caller's own account and organization. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly audit: AuditService,
  ) {}

  async me(actor: Actor): Promise<Me> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new NotFoundError('Account');
    return { user, actor, memberships: await this.memberships.listActiveForUser(actor.userId) };
  }

  /** A phone number is read as dialled in the country of the organization the session works in. */
  async updateProfile(actor: Actor, changes: Partial<Pick<User, 'displayName' | 'language' | 'phone'>>): Promise<Me> {
    if (changes.phone) changes = { ...changes, phone: normalizePhone(changes.phone, (await this.organization(actor)).country) };
    await this.users.updateProfile(actor.userId, changes);
    return this.me(actor);
  }

  async organization(actor: Actor): Promise<Organization> {
    const organization = await this.organizations.findById(actor.organizationId);
    if (!organization) throw new NotFoundError('Organization');
    return organization;
  }

  async updateOrganization(actor: Actor, changes: Partial<OrganizationSettings>): Promise<Organization> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length === 0) return this.organization(actor);
    await this.organizations.update(actor.organizationId, defined);
    await this.audit.record({
      action: 'organization.updated',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: { changed: Object.keys(defined).join(',') },
    });
    return this.organization(actor);
  }
}
