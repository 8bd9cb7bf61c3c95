import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@app/auth';
import { MembershipStatus, RefreshToken, Session } from '../entities';
import { TransactionalRepository } from './base';

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  organizationId: string;
  membershipId: string;
  role: Role;
  membershipStatus: MembershipStatus;
  revokedAt: Date | null;
  expiresAt: Date;
}

export interface RefreshTokenRow {
  tokenId: string;
  usedAt: Date | null;
  session: SessionPrincipal;
}

const PRINCIPAL_COLUMNS = `
  s.id AS "sessionId", s.user_id AS "userId", s.organization_id AS "organizationId",
  s.membership_id AS "membershipId", m.role AS "role", m.status AS "membershipStatus",
  s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt"`;

@Injectable()
export class SessionRepository extends TransactionalRepository<Session> {
  constructor(dataSource: DataSource) {
    super(dataSource, Session);
  }

  /** Opens a session with its first refresh token in one statement; returns the session id. */
  async openWithToken(
    s: Pick<Session, 'userId' | 'organizationId' | 'membershipId' | 'expiresAt' | 'lastUsedAt'>,
    tokenHash: string,
    manager?: EntityManager,
  ): Promise<string> {
    const rows = await (manager ?? this.dataSource.manager).query<{ id: string }[]>(
      `WITH s AS (
         INSERT INTO sessions (user_id, organization_id, membership_id, expires_at, last_used_at) VALUES ($1, $2, $3, $4, $5) RETURNING id),
       t AS (INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $6 FROM s)
       SELECT id FROM s`,
      [s.userId, s.organizationId, s.membershipId, s.expiresAt, s.lastUsedAt, tokenHash],
    );
    return rows[0].id;
  }

  async addRefreshToken(sessionId: string, tokenHash: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [
      sessionId,
      tokenHash,
    ]);
  }

  /** What an access token's session resolves to now: one indexed lookup per authenticated request. */
  async findPrincipal(sessionId: string): Promise<SessionPrincipal | null> {
    const rows = await this.dataSource.query<SessionPrincipal[]>(
      `SELECT ${PRINCIPAL_COLUMNS} FROM sessions s JOIN memberships m ON m.id = s.membership_id WHERE s.id = $1`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  /** Finds a refresh token and locks it, so that two uses of one token are decided one after the other. */
  async findRefreshTokenForUpdate(tokenHash: string, manager: EntityManager): Promise<RefreshTokenRow | null> {
    const rows = await manager.query<(SessionPrincipal & { tokenId: string; usedAt: Date | null })[]>(
      `SELECT rt.id AS "tokenId", rt.used_at AS "usedAt", ${PRINCIPAL_COLUMNS}
         FROM refresh_tokens rt
         JOIN sessions s ON s.id = rt.session_id
         JOIN memberships m ON m.id = s.membership_id
        WHERE rt.token_hash = $1
        FOR UPDATE OF rt, s`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const { tokenId, usedAt, ...session } = row;
    return { tokenId, usedAt, session };
  }

  async markRefreshTokenUsed(tokenId: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(RefreshToken).update({ id: tokenId }, { usedAt: at });
  }

  async touch(sessionId: string, at: Date, expiresAt: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(Session).update({ id: sessionId }, { lastUsedAt: at, expiresAt });
  }

  async revoke(sessionId: string, reason: string, at: Date, manager?: EntityManager): Promise<void> {
    await this.repo(manager)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at, revokedReason: reason })
      .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
      .execute();
  }

  async revokeAllForMembership(membershipId: string, reason: string, at: Date, manager?: EntityManager): Promise<number> {
    const result = await this.repo(manager)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at, revokedReason: reason })
      .where('membership_id = :membershipId AND revoked_at IS NULL', { membershipId })
      .execute();
    return result.affected ?? 0;
  }

  /** Ends every open session of a person, in all their organizations, except `keepSessionId` when given. */
  async revokeAllForUser(userId: string, reason: string, at: Date, manager: EntityManager, keepSessionId?: string): Promise<number> {
    const qb = this.repo(manager)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at, revokedReason: reason })
      // Through the person's memberships: sessions are indexed by membership.
      .where('membership_id IN (SELECT id FROM memberships WHERE user_id = :userId) AND user_id = :userId AND revoked_at IS NULL', {
        userId,
      });
    if (keepSessionId) qb.andWhere('id <> :keepSessionId', { keepSessionId });
    const result = await qb.execute();
    return result.affected ?? 0;
  }

  /** Deletes sessions (and, by cascade, their refresh tokens) that expired or were revoked before the cutoff. */
  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const result = await this.repo()
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where('expires_at < :cutoff OR revoked_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
