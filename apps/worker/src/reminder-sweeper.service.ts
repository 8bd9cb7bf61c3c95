import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { messagingConfig, MessagingConfig } from '@app/config';
import { RemindersService } from '@app/events';

/**
 * Makes sure every reminder due soon has its job, whatever happened to Redis (restarted,
 * flushed, lost). A timer in the worker process rather than a repeating job: a flushed Redis
 * would lose the repeating job too. Several workers sweeping at once is harmless.
 */
@Injectable()
export class ReminderSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly reminders: RemindersService,
    @Inject(messagingConfig.KEY) private readonly config: MessagingConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.sweepEverySeconds * 1000;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), every);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks ahead two sweeps and a minute, so that a job exists well before its reminder is due. */
  sweep(): Promise<void> {
    if (this.running) return this.running;
    const horizon = this.config.sweepEverySeconds * 2 + 60;
    this.running = this.reminders
      .sweep(horizon)
      .then(({ released, queued }) => {
        if (released > 0) this.logger.warn(`${released} reminders claimed by a stopped worker were given back`);
        if (queued > 0) this.logger.debug(`${queued} due reminders have their jobs`);
      })
      .catch((err: unknown) => this.logger.error(`reminder sweep failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = null));
    return this.running;
  }
}
