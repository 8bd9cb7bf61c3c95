import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, assertInOrganization } from '@app/auth';
import { AppError, NotFoundError, Page, PageQueryDto } from '@app/core';
import { isUniqueViolation } from '@app/database';
import { CampaignService } from '@app/turf';
import { Material } from './entities/material.entity';
import { MaterialInput, MaterialRepository } from './material.repository';

const taken = () =>
  new AppError('CONFLICT', 'The catalogue already has a material with this name in this language', {
    fields: { name: ['is already used for this language'] },
  });

/** The organization's catalogue of materials, and which of them each campaign hands out. */
@Injectable()
export class MaterialService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly materials: MaterialRepository,
    private readonly campaigns: CampaignService,
  ) {}

  async create(actor: Actor, input: MaterialInput): Promise<Material> {
    try {
      return await this.materials.create(actor.organizationId, input);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_materials_organization_name_language')) throw taken();
      throw err;
    }
  }

  async update(actor: Actor, id: string, changes: Partial<MaterialInput>): Promise<Material> {
    const material = assertInOrganization(actor, await this.materials.findById(id), 'Material');
    try {
      await this.materials.update(material.id, changes);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_materials_organization_name_language')) throw taken();
      throw err;
    }
    return (await this.materials.findById(material.id))!;
  }

  async list(actor: Actor, page: PageQueryDto): Promise<Page<Material>> {
    const [items, total] = await this.materials.listForOrganization(actor.organizationId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async forCampaign(actor: Actor, campaignId: string): Promise<Material[]> {
    await this.campaigns.get(actor, campaignId);
    return this.materials.listForCampaign(campaignId);
  }

  /** Chooses what the campaign hands out; every material must be of the same organization. */
  async setForCampaign(actor: Actor, campaignId: string, materialIds: string[]): Promise<Material[]> {
    await this.campaigns.get(actor, campaignId);
    const unique = [...new Set(materialIds)];
    const found = (await this.materials.findByIds(unique)).filter((m) => m.organizationId === actor.organizationId);
    const missing = unique.filter((id) => !found.some((m) => m.id === id));
    if (missing.length > 0) throw new NotFoundError(`Material ${missing[0]}`);
    await this.dataSource.transaction((m) => this.materials.setForCampaign(m, campaignId, unique));
    return this.materials.listForCampaign(campaignId);
  }
}
