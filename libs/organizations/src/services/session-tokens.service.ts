import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { authConfig, AuthConfig } from '@app/config';
import { Clock } from '@app/core';
import { Membership } from '../entities';
import { SessionRepository } from '../repositories/session.repository';
import { newOpaqueToken, sha256Hex } from './tokens';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
}

/** Claims of an access token; role and status are read from the database on every request. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  org: string;
}

@Injectable()
export class SessionTokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** Opens a session (a refresh-token family) for the membership and issues its first pair. */
  async open(membership: Membership, manager: EntityManager): Promise<TokenPair> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.refreshTtlSeconds * 1000);
    const refreshToken = newOpaqueToken('rt');
    const sessionId = await this.sessions.openWithToken(
      { userId: membership.userId, organizationId: membership.organizationId, membershipId: membership.id, expiresAt, lastUsedAt: now },
      sha256Hex(refreshToken),
      manager,
    );
    return this.pair({ sessionId, userId: membership.userId, organizationId: membership.organizationId }, refreshToken, expiresAt);
  }

  /** Issues a new pair for an existing session: a new refresh token of the family and a new access token. */
  async issue(
    s: { sessionId: string; userId: string; organizationId: string },
    refreshExpiresAt: Date,
    manager: EntityManager,
  ): Promise<TokenPair> {
    const refreshToken = newOpaqueToken('rt');
    await this.sessions.addRefreshToken(s.sessionId, sha256Hex(refreshToken), manager);
    return this.pair(s, refreshToken, refreshExpiresAt);
  }

  private async pair(
    s: { sessionId: string; userId: string; organizationId: string },
    refreshToken: string,
    refreshExpiresAt: Date,
  ): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: s.userId, sid: s.sessionId, org: s.organizationId };
    const accessToken = await this.jwt.signAsync(claims);
    return {
      accessToken,
      accessTokenExpiresAt: new Date(this.clock.now().getTime() + this.config.accessTtlSeconds * 1000),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt,
      sessionId: s.sessionId,
    };
  }
}
