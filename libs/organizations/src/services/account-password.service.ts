import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '@app/auth';
import { AuditService } from '@app/audit';
import { AppError, Clock } from '@app/core';
import { Language } from '../entities';
import { PasswordResetRepository } from '../repositories/password-reset.repository';
import { SessionRepository } from '../repositories/session.repository';
import { UserRepository } from '../repositories/user.repository';
import { PasswordService } from './password.service';
import { passwordResetMessage } from './password-reset-message';
import { newOpaqueToken, sha256Hex } from './tokens';

/** How long a password reset link works. */
export const PASSWORD_RESET_TTL_MINUTES = 60;

/** A reset link to send: to whom, in their language. The token itself is only in `url`. */
export interface PasswordResetMail {
  to: string;
  language: Language;
  subject: string;
  body: string;
  /** Stable per link, so a mail server or reader can tell a repeat; not the token. */
  reference: string;
}

/**
 * Passwords after sign-up: a signed-in person changes theirs (giving the current one), or
 * anyone asks for a reset link by e-mail and chooses a new one through it. Either way the
 * person's other sessions end, since whoever might have had the old password may hold one.
 */
@Injectable()
export class AccountPasswordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly resets: PasswordResetRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Changes the signed-in person's password; every other session of theirs ends, this one continues. */
  async change(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user || !(await this.passwords.verify(user.passwordHash, currentPassword))) {
      await this.audit.record({
        action: 'auth.password_change_failed',
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        targetType: 'session',
        targetId: actor.sessionId,
      });
      throw new AppError('WRONG_CURRENT_PASSWORD', 'The current password is wrong; enter the password you sign in with', {
        fields: { currentPassword: ['is not your current password'] },
      });
    }
    this.assertAcceptable(newPassword, user.email, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.users.updatePasswordHash(user.id, passwordHash, manager);
      const ended = await this.sessions.revokeAllForUser(user.id, 'password_changed', this.clock.now(), manager, actor.sessionId);
      await this.resets.discardUnusedForUser(user.id, manager);
      await this.audit.record(
        {
          action: 'auth.password_changed',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'session',
          targetId: actor.sessionId,
          metadata: { sessionsEnded: ended },
        },
        manager,
      );
    });
  }

  /**
   * Makes a reset link for the account with this e-mail address, or returns null when there is
   * none. The caller answers the same either way, and sends the mail.
   */
  async requestReset(email: string, publicUrl: string): Promise<PasswordResetMail | null> {
    const user = await this.users.findByEmail(email.trim());
    if (!user) return null;
    const token = newOpaqueToken('pr');
    const expiresAt = new Date(this.clock.now().getTime() + PASSWORD_RESET_TTL_MINUTES * 60_000);
    await this.dataSource.transaction(async (manager) => {
      await this.resets.replaceForUser({ userId: user.id, tokenHash: sha256Hex(token), expiresAt }, manager);
      await this.audit.record(
        { action: 'auth.password_reset_requested', organizationId: null, actorUserId: null, targetType: 'user', targetId: user.id },
        manager,
      );
    });
    // The token travels after '#': a browser never sends it to the server, so it reaches no log.
    const url = `${publicUrl}/reset-password#${token}`;
    return {
      to: user.email,
      language: user.language,
      reference: `password-reset-${sha256Hex(token).slice(0, 24)}`,
      ...passwordResetMessage(user.language, { displayName: user.displayName, url, validMinutes: PASSWORD_RESET_TTL_MINUTES }),
    };
  }

  /** Sets a new password through a reset link: the link works once, and every session of the person ends. */
  async confirmReset(token: string, newPassword: string): Promise<void> {
    const tokenHash = sha256Hex(token);
    const found = await this.resets.findByTokenHash(tokenHash);
    this.assertUsable(found);
    const user = await this.users.findById(found.userId);
    if (!user) throw invalidLink();
    this.assertAcceptable(newPassword, user.email, 'password');
    const passwordHash = await this.passwords.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Read again under the lock: of two uses of one link, the second finds it used.
      const reset = await this.resets.findByTokenHashForUpdate(tokenHash, manager);
      this.assertUsable(reset);
      const now = this.clock.now();
      await this.resets.markUsed(reset.id, now, manager);
      await this.resets.discardUnusedForUser(user.id, manager);
      await this.users.updatePasswordHash(user.id, passwordHash, manager);
      const ended = await this.sessions.revokeAllForUser(user.id, 'password_reset', now, manager);
      await this.audit.record(
        {
          action: 'auth.password_reset',
          organizationId: null,
          actorUserId: user.id,
          targetType: 'user',
          targetId: user.id,
          metadata: { sessionsEnded: ended },
        },
        manager,
      );
    });
  }

  private assertUsable<T extends { usedAt: Date | null; expiresAt: Date }>(reset: T | null): asserts reset is T {
    if (!reset) throw invalidLink();
    if (reset.usedAt) throw new AppError('RESET_TOKEN_USED', 'This password reset link was already used; ask for a new one');
    if (reset.expiresAt <= this.clock.now()) {
      throw new AppError('RESET_TOKEN_EXPIRED', 'This password reset link has expired; ask for a new one');
    }
  }

  /** The sign-up rules, with the problems under the field the request names. */
  private assertAcceptable(password: string, email: string, field: string): void {
    try {
      this.passwords.assertAcceptable(password, { email });
    } catch (err) {
      if (err instanceof AppError && err.code === 'WEAK_PASSWORD' && field !== 'password') {
        throw new AppError('WEAK_PASSWORD', err.message, {
          fields: { [field]: (err.details?.fields as Record<string, string[]>).password },
        });
      }
      throw err;
    }
  }
}

const invalidLink = () => new AppError('RESET_TOKEN_INVALID', 'This password reset link is not valid; ask for a new one');
