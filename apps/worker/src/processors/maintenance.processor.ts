import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobNameOf, QUEUE } from '@app/queue';
import { CleanupResult, SessionMaintenanceService } from '@app/organizations';
import { TurfService } from '@app/turf';
import { FieldService } from '@app/canvassing';
import { RetentionPurge, RetentionPurgeResult } from '../retention-purge.service';

@Processor(QUEUE.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    private readonly sessions: SessionMaintenanceService,
    private readonly turfs: TurfService,
    private readonly field: FieldService,
    private readonly retention: RetentionPurge,
  ) {
    super();
  }

  async process(job: Job): Promise<CleanupResult | { expired: number } | { closed: number } | RetentionPurgeResult> {
    const name = job.name as JobNameOf<typeof QUEUE.maintenance>;
    switch (name) {
      case 'session-cleanup':
        return this.sessions.purgeEnded();
      case 'assignments-expire':
        return this.turfs.expireAssignments();
      case 'shifts-close':
        return this.field.closeStaleShifts();
      case 'retention-purge':
        return this.retention.run();
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`No processor for job ${String(unknown)} on queue ${QUEUE.maintenance}`);
      }
    }
  }
}
