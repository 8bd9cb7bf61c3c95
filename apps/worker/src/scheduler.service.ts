import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, AuthConfig } from '@app/config';
import { JobProducer } from '@app/queue';

/** Assignments stop counting at their expiry anyway; this only records it, so every ten minutes is plenty. */
const ASSIGNMENT_EXPIRY_EVERY_MS = 10 * 60 * 1000;
/** Shifts left open close at their 12th hour; a check every ten minutes closes them within ten minutes of it. */
const SHIFT_CLOSE_EVERY_MS = 10 * 60 * 1000;
/** Retention periods are counted in days; an hourly purge keeps nothing more than an hour too long. */
const RETENTION_PURGE_EVERY_MS = 60 * 60 * 1000;

/** Registers the repeating jobs. Idempotent: every worker process may do it at start-up. */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulerService.name);

  constructor(
    private readonly jobs: JobProducer,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.auth.sessionCleanupEverySeconds * 1000;
    await this.jobs.schedule('session-cleanup', { every }, { requestedAt: 'schedule' });
    this.logger.log(`session-cleanup scheduled every ${every / 1000}s`);
    await this.jobs.schedule('assignments-expire', { every: ASSIGNMENT_EXPIRY_EVERY_MS }, { requestedAt: 'schedule' });
    await this.jobs.schedule('shifts-close', { every: SHIFT_CLOSE_EVERY_MS }, { requestedAt: 'schedule' });
    await this.jobs.schedule('retention-purge', { every: RETENTION_PURGE_EVERY_MS }, { requestedAt: 'schedule' });
  }
}
