import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, assertInOrganization } from '@app/auth';
import { Clock, NotFoundError, Page, PageQueryDto } from '@app/core';
import { CampaignRepository } from '../repositories/campaign.repository';
import { DoorRepository, DoorRow } from '../repositories/door.repository';
import { TurfChanges } from './turf-changes';

@Injectable()
export class DoorService {
  constructor(
    private readonly doors: DoorRepository,
    private readonly campaigns: CampaignRepository,
    private readonly clock: Clock,
    private readonly turfChanges: TurfChanges,
    private readonly dataSource: DataSource,
  ) {}

  async listForCampaign(actor: Actor, campaignId: string, page: PageQueryDto): Promise<Page<DoorRow>> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    const [items, total] = await this.doors.listForCampaign(campaignId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /**
   * The household asked not to be visited again, or the door is unsafe: it is left out of every
   * route from now on. Its turf's and campaign's figures count the mark in the same transaction.
   */
  async setDoNotKnock(actor: Actor, doorId: string, doNotKnock: boolean): Promise<DoorRow> {
    const door = assertInOrganization(actor, await this.doors.findById(doorId), 'Door');
    await this.dataSource.transaction(async (m) => {
      const marked = await this.doors.setDoNotKnock(m, door.id, doNotKnock ? (door.doNotKnockAt ?? this.clock.now()) : null);
      // Gone since it was read (its campaign deleted): as if it had never been there.
      if (!marked) throw new NotFoundError('Door');
      await this.turfChanges.changed(m, marked.turfIds, [marked.campaignId]);
    });
    return (await this.doors.findById(door.id))!;
  }
}
