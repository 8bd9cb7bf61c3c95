import { Inject, Injectable, Logger } from '@nestjs/common';
import { authConfig, AuthConfig } from '@app/config';
import { Clock } from '@app/core';
import { InviteRepository } from '../repositories/invite.repository';
import { PasswordResetRepository } from '../repositories/password-reset.repository';
import { SessionRepository } from '../repositories/session.repository';

export interface CleanupResult {
  sessionsDeleted: number;
  invitesDeleted: number;
  passwordResetsDeleted: number;
  cutoff: string;
}

/** Forgets ended sessions, stale invites and password reset links once they are older than the retention period. */
@Injectable()
export class SessionMaintenanceService {
  private readonly logger = new Logger(SessionMaintenanceService.name);

  constructor(
    private readonly sessions: SessionRepository,
    private readonly invites: InviteRepository,
    private readonly passwordResets: PasswordResetRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async purgeEnded(): Promise<CleanupResult> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.sessionRetentionDays * 24 * 3600 * 1000);
    const sessionsDeleted = await this.sessions.deleteEndedBefore(cutoff);
    const invitesDeleted = await this.invites.deleteExpiredBefore(cutoff);
    const passwordResetsDeleted = await this.passwordResets.deleteExpiredBefore(cutoff);
    this.logger.log({ sessionsDeleted, invitesDeleted, passwordResetsDeleted }, 'ended sessions, stale invites and reset links purged');
    return { sessionsDeleted, invitesDeleted, passwordResetsDeleted, cutoff: cutoff.toISOString() };
  }
}
