import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor } from '@app/auth';
import { AuditService } from '@app/audit';
import { authConfig, AuthConfig } from '@app/config';
import { AppError, Clock } from '@app/core';
import { isUniqueViolation } from '@app/database';
import { Language } from '../entities';
import { DEFAULT_COUNTRY, normalizePhone } from '../phone';
import { MembershipRepository } from '../repositories/membership.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { SessionRepository } from '../repositories/session.repository';
import { UserRepository } from '../repositories/user.repository';
import { PasswordService } from './password.service';
import { SessionTokensService, TokenPair } from './session-tokens.service';
import { sha256Hex } from './tokens';

export interface SignupInput {
  email: string;
  password: string;
  displayName: string;
  language: Language;
  phone?: string;
  organizationName: string;
  signupCode?: string;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'The e-mail address or the password is wrong');
const invalidRefresh = () => new AppError('REFRESH_TOKEN_INVALID', 'The refresh token is not valid; log in again');

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly organizations: OrganizationRepository,
    private readonly memberships: MembershipRepository,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: SessionTokensService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** A new person creates an organization and becomes its first organizer. */
  async signup(input: SignupInput): Promise<TokenPair> {
    this.assertSignupAllowed(input.signupCode);
    this.passwords.assertAcceptable(input.password, { email: input.email });
    // A new organization works in DEFAULT_COUNTRY until its organizer says otherwise.
    const phone = input.phone ? normalizePhone(input.phone, DEFAULT_COUNTRY) : null;
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.users.create(
          { email: input.email, passwordHash, displayName: input.displayName, language: input.language, phone },
          manager,
        );
        const organization = await this.organizations.create(input.organizationName, manager);
        const membership = await this.memberships.create({ organizationId: organization.id, userId: user.id, role: 'organizer' }, manager);
        await this.audit.record(
          {
            action: 'organization.created',
            organizationId: organization.id,
            actorUserId: user.id,
            targetType: 'organization',
            targetId: organization.id,
          },
          manager,
        );
        return this.tokens.open(membership, manager);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_users_email')) {
        throw new AppError('EMAIL_TAKEN', 'An account with this e-mail address exists; log in and create the organization from it', {
          fields: { email: ['is already registered'] },
        });
      }
      throw err;
    }
  }

  /** A member creates another organization and becomes its organizer. */
  async createOrganization(actor: Actor, name: string, signupCode?: string): Promise<{ organizationId: string }> {
    this.assertSignupAllowed(signupCode);
    return this.dataSource.transaction(async (manager) => {
      const organization = await this.organizations.create(name, manager);
      await this.memberships.create({ organizationId: organization.id, userId: actor.userId, role: 'organizer' }, manager);
      await this.audit.record(
        {
          action: 'organization.created',
          organizationId: organization.id,
          actorUserId: actor.userId,
          targetType: 'organization',
          targetId: organization.id,
        },
        manager,
      );
      return { organizationId: organization.id };
    });
  }

  /** Checks e-mail and password; the error never tells whether the e-mail address exists. */
  async verifyCredentials(email: string, password: string): Promise<{ userId: string }> {
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.passwords.verifyAgainstNothing(password);
      throw invalidCredentials();
    }
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      await this.audit.record({ action: 'auth.login_failed', organizationId: null, actorUserId: user.id });
      throw invalidCredentials();
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.passwords.hash(password));
    }
    return { userId: user.id };
  }

  /**
   * Asks a signed-in person for their password again before a sensitive act (a door-level
   * export): a stolen or unattended session is not enough. A wrong password is audited.
   */
  async confirmPassword(actor: Actor, password: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (user && (await this.passwords.verify(user.passwordHash, password))) return;
    await this.audit.record({
      action: 'auth.reauth_failed',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'session',
      targetId: actor.sessionId,
    });
    throw new AppError('REAUTH_FAILED', 'The password is wrong; enter the password you sign in with');
  }

  /** Opens a session in one of the person's organizations (the oldest active membership when none is named). */
  async startSession(userId: string, organizationId?: string): Promise<TokenPair> {
    const active = await this.memberships.listActiveForUser(userId);
    const chosen = organizationId ? active.find((m) => m.organization.id === organizationId) : active[0];
    if (!chosen) {
      throw new AppError(
        'NO_ACTIVE_MEMBERSHIP',
        organizationId ? 'You are not an active member of that organization' : 'You are not an active member of any organization',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const pair = await this.tokens.open(chosen.membership, manager);
      await this.audit.record(
        {
          action: 'auth.login',
          organizationId: chosen.organization.id,
          actorUserId: userId,
          targetType: 'session',
          targetId: pair.sessionId,
        },
        manager,
      );
      return pair;
    });
  }

  /**
   * Trades a refresh token for a new pair. Each refresh token works once: presenting a used
   * one means it was copied, so the whole session family is revoked (theft detection).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const row = await this.sessions.findRefreshTokenForUpdate(sha256Hex(refreshToken), manager);
      if (!row) return { kind: 'invalid' as const };
      const s = row.session;
      if (s.revokedAt || s.expiresAt <= now || s.membershipStatus !== 'active') return { kind: 'invalid' as const };
      if (row.usedAt) {
        await this.sessions.revoke(s.sessionId, 'refresh_token_reuse', now, manager);
        await this.audit.record(
          {
            action: 'auth.refresh_reuse_detected',
            organizationId: s.organizationId,
            actorUserId: s.userId,
            targetType: 'session',
            targetId: s.sessionId,
          },
          manager,
        );
        return { kind: 'reused' as const };
      }
      await this.sessions.markRefreshTokenUsed(row.tokenId, now, manager);
      const expiresAt = new Date(now.getTime() + this.config.refreshTtlSeconds * 1000);
      await this.sessions.touch(s.sessionId, now, expiresAt, manager);
      return { kind: 'ok' as const, pair: await this.tokens.issue(s, expiresAt, manager) };
    });
    if (outcome.kind === 'invalid') throw invalidRefresh();
    if (outcome.kind === 'reused') {
      throw new AppError(
        'REFRESH_TOKEN_REUSED',
        'This refresh token was already used; the session has been ended for safety. Log in again',
      );
    }
    return outcome.pair;
  }

  async logout(actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.revoke(actor.sessionId, 'logout', this.clock.now(), manager);
      await this.audit.record(
        {
          action: 'auth.logout',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'session',
          targetId: actor.sessionId,
        },
        manager,
      );
    });
  }

  /** The actor behind an access token's session, or null when the session or membership no longer lets it in. */
  async resolveActor(claims: { sub: string; sid: string; org: string }): Promise<Actor | null> {
    const p = await this.sessions.findPrincipal(claims.sid);
    if (!p || p.userId !== claims.sub || p.organizationId !== claims.org) return null;
    if (p.revokedAt || p.expiresAt <= this.clock.now() || p.membershipStatus !== 'active') return null;
    return { userId: p.userId, organizationId: p.organizationId, membershipId: p.membershipId, role: p.role, sessionId: p.sessionId };
  }

  private assertSignupAllowed(code: string | undefined): void {
    if (this.config.signupMode === 'open') return;
    const expected = Buffer.from(this.config.signupCode ?? '');
    const given = Buffer.from(code ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('SIGNUP_CLOSED', 'Creating an organization on this server needs a valid sign-up code', {
        fields: { signupCode: ['is missing or wrong'] },
      });
    }
  }
}
