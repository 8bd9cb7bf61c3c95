import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CoverageService } from '@app/coverage';

/** Every sync asks for a refresh; this timer catches up if a request was lost, and reconciles everything now and then. */
const CATCH_UP_EVERY_MS = 5_000;
const FULL_EVERY_MS = 15 * 60_000;

@Injectable()
export class CoverageTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CoverageTimer.name);
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> | null = null;

  constructor(private readonly coverage: CoverageService) {}

  onApplicationBootstrap(): void {
    this.timers = [setInterval(() => this.run(false), CATCH_UP_EVERY_MS), setInterval(() => this.run(true), FULL_EVERY_MS)];
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    await this.running;
  }

  private run(full: boolean): void {
    if (this.running) return;
    this.running = this.coverage
      .refresh(full)
      .catch((err: unknown) => this.logger.error(`coverage refresh failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = null));
  }
}
