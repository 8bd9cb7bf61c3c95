import { Injectable } from '@nestjs/common';
import { Actor, assertInOrganization } from '@app/auth';
import { AppError, Page, PageQueryDto } from '@app/core';
import { CampaignInput, CampaignRepository, CampaignRow } from '../repositories/campaign.repository';

@Injectable()
export class CampaignService {
  constructor(private readonly campaigns: CampaignRepository) {}

  async create(actor: Actor, input: CampaignInput): Promise<CampaignRow> {
    await this.assertValidArea(input.area);
    return this.campaigns.create(actor.organizationId, input);
  }

  async update(actor: Actor, id: string, input: Partial<CampaignInput>): Promise<CampaignRow> {
    const current = await this.get(actor, id);
    const startsOn = input.startsOn !== undefined ? input.startsOn : current.startsOn;
    const endsOn = input.endsOn !== undefined ? input.endsOn : current.endsOn;
    if (startsOn && endsOn && endsOn < startsOn) {
      throw new AppError('VALIDATION_FAILED', 'The campaign cannot end before it starts', { fields: { endsOn: ['is before startsOn'] } });
    }
    await this.assertValidArea(input.area);
    await this.campaigns.update(id, input);
    return (await this.campaigns.findById(id))!;
  }

  async get(actor: Actor, id: string): Promise<CampaignRow> {
    return assertInOrganization(actor, await this.campaigns.findById(id), 'Campaign');
  }

  async list(actor: Actor, page: PageQueryDto): Promise<Page<CampaignRow>> {
    const [items, total] = await this.campaigns.listForOrganization(actor.organizationId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** PostGIS decides, and its reason (e.g. "Self-intersection[-84.35 33.74]") goes back to the organizer. */
  private async assertValidArea(area: object | null | undefined): Promise<void> {
    if (!area) return;
    const problem = await this.campaigns.geometryProblem(area);
    if (problem) throw new AppError('INVALID_GEOMETRY', `The area is not a valid polygon: ${problem}`, { fields: { area: [problem] } });
  }
}
