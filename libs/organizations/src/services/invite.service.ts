import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, assertInOrganization, Role } from '@app/auth';
import { AuditService } from '@app/audit';
import { authConfig, AuthConfig } from '@app/config';
import { AppError, Clock, ForbiddenError, NotFoundError, Page, PageQueryDto } from '@app/core';
import { isUniqueViolation } from '@app/database';
import { Invite, Language, User } from '../entities';
import { normalizePhone } from '../phone';
import { MembershipRepository } from '../repositories/membership.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { UserRepository } from '../repositories/user.repository';
import { InviteRepository } from '../repositories/invite.repository';
import { PasswordService } from './password.service';
import { SessionTokensService, TokenPair } from './session-tokens.service';
import { newOpaqueToken, sha256Hex } from './tokens';

export interface CreatedInvite {
  invite: Invite;
  token: string;
  url: string;
}

export interface AcceptInviteInput {
  token: string;
  email?: string;
  password: string;
  displayName?: string;
  language?: Language;
  phone?: string;
}

export interface InvitePreview {
  organizationName: string;
  role: Role;
  email: string | null;
  expiresAt: Date;
}

/** Organizers invite anyone; coordinators bring in volunteers only (and see and withdraw only those invites). */
function assertMayInvite(actor: Pick<Actor, 'role'>, role: Role): void {
  if (actor.role !== 'organizer' && role !== 'volunteer')
    throw new ForbiddenError('Coordinators invite volunteers only; ask an organizer to invite organizers and coordinators');
}

@Injectable()
export class InviteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invites: InviteRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: SessionTokensService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * The link carries the token after `#`, so it never reaches a server log; the web app
   * reads it and posts it.
   */
  async create(actor: Actor, input: { role: Role; email?: string; expiresInHours?: number }, publicUrl: string): Promise<CreatedInvite> {
    assertMayInvite(actor, input.role);
    const token = newOpaqueToken('inv');
    const hours = input.expiresInHours ?? this.config.inviteTtlHours;
    const expiresAt = new Date(this.clock.now().getTime() + hours * 3600 * 1000);
    const invite = await this.dataSource.transaction(async (manager) => {
      const created = await this.invites.create(
        {
          organizationId: actor.organizationId,
          role: input.role,
          email: input.email ?? null,
          tokenHash: sha256Hex(token),
          expiresAt,
          createdByUserId: actor.userId,
        },
        manager,
      );
      await this.audit.record(
        {
          action: 'invite.created',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'invite',
          targetId: created.id,
          metadata: { role: input.role },
        },
        manager,
      );
      return created;
    });
    return { invite, token, url: `${publicUrl}/join#${token}` };
  }

  async listPending(actor: Actor, page: PageQueryDto): Promise<Page<Invite>> {
    const [items, total] = await this.invites.listPendingForOrganization(
      actor.organizationId,
      page.limit,
      page.offset,
      actor.role === 'organizer' ? undefined : 'volunteer',
    );
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async revoke(actor: Actor, inviteId: string): Promise<void> {
    const invite = assertInOrganization(actor, await this.invites.findById(inviteId), 'Invite');
    assertMayInvite(actor, invite.role);
    this.assertUsable(invite, { ignoreExpiry: true });
    if (!(await this.invites.markRevoked(invite.id, this.clock.now()))) this.assertUsable((await this.invites.findById(inviteId))!);
    await this.audit.record({
      action: 'invite.revoked',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'invite',
      targetId: invite.id,
    });
  }

  /** What the join page shows before the person accepts. */
  async preview(token: string): Promise<InvitePreview> {
    const invite = await this.findUsable(token);
    const organization = await this.organizations.findById(invite.organizationId);
    return { organizationName: organization!.name, role: invite.role, email: invite.email, expiresAt: invite.expiresAt };
  }

  /**
   * A new person creates their account; a person who already has one proves it with their
   * password. Either way the invite is used once, in the same transaction as the membership.
   */
  async accept(input: AcceptInviteInput): Promise<TokenPair> {
    const invite = await this.findUsable(input.token);
    const email = (invite.email ?? input.email)?.trim();
    if (!email)
      throw new AppError('VALIDATION_FAILED', 'This invite names no e-mail address; give yours', { fields: { email: ['is required'] } });
    if (invite.email && input.email && input.email.toLowerCase() !== invite.email.toLowerCase()) {
      throw new AppError('VALIDATION_FAILED', 'This invite is for another e-mail address', {
        fields: { email: ['does not match the invite'] },
      });
    }

    const existing = await this.users.findByEmail(email);
    let passwordHash: string | undefined;
    if (existing) {
      if (!(await this.passwords.verify(existing.passwordHash, input.password))) {
        throw new AppError('INVALID_CREDENTIALS', 'An account with this e-mail address exists; give its password to join');
      }
    } else {
      const missing: Record<string, string[]> = {};
      if (!input.displayName) missing.displayName = ['is required for a new account'];
      if (!input.language) missing.language = ['is required for a new account'];
      if (Object.keys(missing).length > 0)
        throw new AppError('VALIDATION_FAILED', 'Some details of the new account are missing', { fields: missing });
      this.passwords.assertAcceptable(input.password, { email });
      passwordHash = await this.passwords.hash(input.password);
    }
    // Read as dialled in the country of the organization the person joins.
    const phone =
      !existing && input.phone ? normalizePhone(input.phone, (await this.organizations.findById(invite.organizationId))!.country) : null;

    try {
      return await this.dataSource.transaction(async (manager) => {
        let user: User | null = existing;
        if (!user) {
          user = await this.users.create(
            { email, passwordHash: passwordHash!, displayName: input.displayName!, language: input.language!, phone },
            manager,
          );
        }
        if (await this.memberships.findByOrganizationAndUser(invite.organizationId, user.id, manager)) {
          throw new AppError('ALREADY_MEMBER', 'You are already a member of this organization; log in instead');
        }
        if (!(await this.invites.markAccepted(invite.id, user.id, this.clock.now(), manager))) {
          this.assertUsable((await this.invites.findByTokenHash(invite.tokenHash, manager))!);
        }
        const membership = await this.memberships.create(
          { organizationId: invite.organizationId, userId: user.id, role: invite.role },
          manager,
        );
        await this.audit.record(
          {
            action: 'invite.accepted',
            organizationId: invite.organizationId,
            actorUserId: user.id,
            targetType: 'invite',
            targetId: invite.id,
            metadata: { role: invite.role },
          },
          manager,
        );
        return this.tokens.open(membership, manager);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_users_email')) {
        throw new AppError('EMAIL_TAKEN', 'An account with this e-mail address was just created; accept again with its password');
      }
      if (isUniqueViolation(err, 'uq_memberships_organization_user')) {
        throw new AppError('ALREADY_MEMBER', 'You are already a member of this organization; log in instead');
      }
      throw err;
    }
  }

  private async findUsable(token: string): Promise<Invite> {
    const invite = await this.invites.findByTokenHash(sha256Hex(token));
    if (!invite) throw new NotFoundError('Invite');
    this.assertUsable(invite);
    return invite;
  }

  private assertUsable(invite: Invite, opts: { ignoreExpiry?: boolean } = {}): void {
    if (invite.revokedAt) throw new AppError('INVITE_REVOKED', 'This invite was revoked; ask the organizer for a new one');
    if (invite.acceptedAt) throw new AppError('INVITE_USED', 'This invite was already used; log in, or ask the organizer for a new one');
    if (!opts.ignoreExpiry && invite.expiresAt <= this.clock.now()) {
      throw new AppError('INVITE_EXPIRED', 'This invite has expired; ask the organizer for a new one');
    }
  }
}
