import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { CoverageService } from '@app/coverage';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';

/** One refresh at a time per worker (an advisory lock serialises workers too). */
@Processor(QUEUE.coverage, { concurrency: 1 })
export class CoverageProcessor extends WorkerHost {
  constructor(private readonly coverage: CoverageService) {
    super();
  }

  async process(job: Job): Promise<{ campaigns: number; doors: number }> {
    const name = job.name as JobNameOf<typeof QUEUE.coverage>;
    switch (name) {
      case 'coverage-refresh':
        return this.coverage.refresh((job.data as JobPayloads['coverage-refresh']).full);
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`No processor for job ${String(unknown)} on queue ${QUEUE.coverage}`);
      }
    }
  }
}
