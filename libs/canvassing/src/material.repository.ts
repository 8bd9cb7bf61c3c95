import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CampaignMaterial, Material } from './entities/material.entity';

export type MaterialInput = Pick<Material, 'name' | 'kind' | 'language'> & { linkUrl?: string | null; stock?: number };

@Injectable()
export class MaterialRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(organizationId: string, input: MaterialInput): Promise<Material> {
    const repo = this.dataSource.getRepository(Material);
    return repo.save(repo.create({ ...input, linkUrl: input.linkUrl ?? null, stock: input.stock ?? 0, organizationId }));
  }

  findById(id: string): Promise<Material | null> {
    return this.dataSource.getRepository(Material).findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<Material[]> {
    return this.dataSource.getRepository(Material).findBy({ id: In(ids) });
  }

  async update(id: string, changes: Partial<MaterialInput>): Promise<void> {
    await this.dataSource.getRepository(Material).update({ id }, changes);
  }

  listForOrganization(organizationId: string, limit: number, offset: number): Promise<[Material[], number]> {
    return this.dataSource.getRepository(Material).findAndCount({
      where: { organizationId },
      order: { kind: 'ASC', name: 'ASC', language: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  async listForCampaign(campaignId: string): Promise<Material[]> {
    return this.dataSource
      .getRepository(Material)
      .createQueryBuilder('m')
      .innerJoin(CampaignMaterial, 'cm', 'cm.material_id = m.id')
      .where('cm.campaign_id = :campaignId', { campaignId })
      .orderBy('m.kind')
      .addOrderBy('m.name')
      .addOrderBy('m.language')
      .getMany();
  }

  /** Replaces the campaign's set of materials. */
  async setForCampaign(m: EntityManager, campaignId: string, materialIds: string[]): Promise<void> {
    await m.query('DELETE FROM campaign_materials WHERE campaign_id = $1', [campaignId]);
    if (materialIds.length > 0) {
      await m.query('INSERT INTO campaign_materials (campaign_id, material_id) SELECT $1, unnest($2::uuid[])', [campaignId, materialIds]);
    }
  }
}
