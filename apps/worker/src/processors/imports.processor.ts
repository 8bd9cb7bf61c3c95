import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';
import { ImportOutcome, ImportRunner } from '@app/turf';

/** One import at a time per worker: each holds a transaction and a staging table while it runs. */
@Processor(QUEUE.imports, { concurrency: 1 })
export class ImportsProcessor extends WorkerHost {
  constructor(private readonly runner: ImportRunner) {
    super();
  }

  async process(job: Job<JobPayloads['address-import']>): Promise<ImportOutcome> {
    const name = job.name as JobNameOf<typeof QUEUE.imports>;
    switch (name) {
      case 'address-import':
        return this.runner.run(job.data.importId, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
    }
  }
}
