import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';
import { PlanJobResult, TurfService } from '@app/turf';

/** Turf cutting and route optimisation: CPU-bound, so here and not on the API's event loop. */
@Processor(QUEUE.planning, { concurrency: 1 })
export class PlanningProcessor extends WorkerHost {
  constructor(private readonly turfs: TurfService) {
    super();
  }

  async process(job: Job<JobPayloads['plan-turfs']>): Promise<PlanJobResult> {
    const name = job.name as JobNameOf<typeof QUEUE.planning>;
    switch (name) {
      case 'plan-turfs':
        return this.turfs.plan(job.data);
    }
  }
}
