import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, assertInOrganization } from '@app/auth';
import { AppError, NotFoundError, Page } from '@app/core';
import { isUniqueViolation } from '@app/database';
import { CampaignService } from '@app/turf';
import { Material, MaterialNames } from './entities/material.entity';
import { MaterialChanges, MaterialInput, MaterialListStatus, MaterialRepository } from './material.repository';

const taken = () =>
  new AppError('CONFLICT', 'The catalogue already has a material with this name in this language', {
    fields: { name: ['is already used for this language'] },
  });

/** What a caller sends: the catalogue name may be left out when the names per language are given. */
export type MaterialRequest = Omit<MaterialInput, 'name'> & { name?: string | null };

/** The names per language, without the languages left empty. */
function cleanNames(names: MaterialNames | undefined): MaterialNames | undefined {
  if (!names) return undefined;
  return Object.fromEntries(Object.entries(names).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
}

/** The organization's catalogue of materials, and which of them each campaign hands out. */
@Injectable()
export class MaterialService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly materials: MaterialRepository,
    private readonly campaigns: CampaignService,
  ) {}

  async create(actor: Actor, input: MaterialRequest): Promise<Material> {
    const names = cleanNames(input.names) ?? {};
    const name = input.name || names.en || names.es;
    if (!name) throw new AppError('VALIDATION_FAILED', 'A material needs a name', { fields: { name: ['must be given'] } });
    try {
      return await this.materials.create(actor.organizationId, { ...input, name, names });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_materials_organization_name_language')) throw taken();
      throw err;
    }
  }

  /** Changes what is given; new names per language without a catalogue name rename it after them. */
  async update(actor: Actor, id: string, request: Partial<MaterialRequest>): Promise<Material> {
    const material = await this.get(actor, id);
    const { name, names: given, ...rest } = request;
    const changes: MaterialChanges = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const names = cleanNames(given);
    if (names) changes.names = names;
    if (name) changes.name = name;
    else if (names && (names.en || names.es)) changes.name = names.en || names.es;
    try {
      await this.materials.update(material.id, changes);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_materials_organization_name_language')) throw taken();
      throw err;
    }
    return (await this.materials.findById(material.id))!;
  }

  /** Takes a material off every campaign's list; the records that name it keep it. */
  async retire(actor: Actor, id: string): Promise<Material> {
    const material = await this.get(actor, id);
    await this.materials.setRetired(material.id, true);
    return (await this.materials.findById(material.id))!;
  }

  /** Puts a retired material back in use (on the campaigns that had chosen it). */
  async restore(actor: Actor, id: string): Promise<Material> {
    const material = await this.get(actor, id);
    await this.materials.setRetired(material.id, false);
    return (await this.materials.findById(material.id))!;
  }

  async list(actor: Actor, page: { limit: number; offset: number; status?: MaterialListStatus }): Promise<Page<Material>> {
    const [items, total] = await this.materials.listForOrganization(actor.organizationId, page.status ?? 'active', page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async forCampaign(actor: Actor, campaignId: string): Promise<Material[]> {
    await this.campaigns.get(actor, campaignId);
    return this.materials.listForCampaign(campaignId);
  }

  /** Chooses what the campaign hands out; every material must be of the same organization, and in use. */
  async setForCampaign(actor: Actor, campaignId: string, materialIds: string[]): Promise<Material[]> {
    await this.campaigns.get(actor, campaignId);
    const unique = [...new Set(materialIds.map((id) => id.toLowerCase()))];
    const found = (await this.materials.findByIds(unique)).filter((m) => m.organizationId === actor.organizationId);
    const missing = unique.filter((id) => !found.some((m) => m.id === id));
    if (missing.length > 0) throw new NotFoundError(`Material ${missing[0]}`);
    const retired = materialIds
      .map((id, i) => [id.toLowerCase(), i] as const)
      .filter(([id]) => found.find((m) => m.id === id)!.retiredAt !== null);
    if (retired.length > 0) {
      throw new AppError('MATERIAL_RETIRED', 'A retired material cannot be handed out; put it back in use first', {
        fields: Object.fromEntries(retired.map(([, i]) => [`materialIds.${i}`, ['is retired']])),
      });
    }
    await this.dataSource.transaction((m) => this.materials.setForCampaign(m, campaignId, unique));
    return this.materials.listForCampaign(campaignId);
  }

  private async get(actor: Actor, id: string): Promise<Material> {
    return assertInOrganization(actor, await this.materials.findById(id), 'Material');
  }
}
