import { Injectable } from '@nestjs/common';
import { Actor, assertInOrganization } from '@app/auth';
import { Clock, Page, PageQueryDto } from '@app/core';
import { CampaignRepository } from '../repositories/campaign.repository';
import { DoorRepository, DoorRow } from '../repositories/door.repository';

@Injectable()
export class DoorService {
  constructor(
    private readonly doors: DoorRepository,
    private readonly campaigns: CampaignRepository,
    private readonly clock: Clock,
  ) {}

  async listForCampaign(actor: Actor, campaignId: string, page: PageQueryDto): Promise<Page<DoorRow>> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    const [items, total] = await this.doors.listForCampaign(campaignId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** The household asked not to be visited again, or the door is unsafe: it is left out of every route from now on. */
  async setDoNotKnock(actor: Actor, doorId: string, doNotKnock: boolean): Promise<DoorRow> {
    const door = assertInOrganization(actor, await this.doors.findById(doorId), 'Door');
    await this.doors.setDoNotKnock(door.id, doNotKnock ? (door.doNotKnockAt ?? this.clock.now()) : null);
    return (await this.doors.findById(door.id))!;
  }
}
