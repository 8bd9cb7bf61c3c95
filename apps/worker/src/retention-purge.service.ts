import { Injectable, Logger } from '@nestjs/common';
import { FieldRetentionService } from '@app/canvassing';
import { CoverageService } from '@app/coverage';
import { SupporterRetentionService } from '@app/events';

export interface RetentionPurgeResult {
  notes: number;
  locations: number;
  supporterContacts: number;
  campaigns: number;
  visits: number;
}

/**
 * The retention job: each organization's periods, applied to what has passed its time. Only
 * counts are logged and returned. A finished campaign's visits go once the coverage rollups
 * have counted them, so its figures stay exactly as they were (see docs/decisions.md, Retention).
 */
@Injectable()
export class RetentionPurge {
  private readonly logger = new Logger(RetentionPurge.name);

  constructor(
    private readonly field: FieldRetentionService,
    private readonly supporters: SupporterRetentionService,
    private readonly coverage: CoverageService,
  ) {}

  async run(): Promise<RetentionPurgeResult> {
    const { notes, locations } = await this.field.purgeNotesAndLocations();
    const supporterContacts = await this.supporters.purgeContacts();
    const due = await this.field.campaignsDue();
    let visits = 0;
    if (due.length > 0) {
      // Count the latest visits first; any a sync adds after this are left for the next run.
      await this.coverage.refresh(false);
      const counted = await this.coverage.countedSnapshot();
      for (const campaignId of due) visits += await this.field.purgeCampaign(campaignId, counted);
    }
    const result = { notes, locations, supporterContacts, campaigns: due.length, visits };
    this.logger.log(result, 'retention purge done');
    return result;
  }
}
