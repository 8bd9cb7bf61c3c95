import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { CampaignMaterial, Material } from './entities/material.entity';

export type MaterialInput = Pick<Material, 'name' | 'kind' | 'language'> &
  Partial<Pick<Material, 'names' | 'lowStockThreshold'>> & { linkUrl?: string | null; stock?: number };

export type MaterialChanges = Partial<MaterialInput>;

/** Which of the catalogue's materials a list shows. */
export type MaterialListStatus = 'active' | 'retired' | 'all';

@Injectable()
export class MaterialRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(organizationId: string, input: MaterialInput): Promise<Material> {
    const repo = this.dataSource.getRepository(Material);
    return repo.save(
      repo.create({
        ...input,
        names: input.names ?? {},
        linkUrl: input.linkUrl ?? null,
        stock: input.stock ?? 0,
        lowStockThreshold: input.lowStockThreshold ?? null,
        organizationId,
      }),
    );
  }

  findById(id: string): Promise<Material | null> {
    return this.dataSource.getRepository(Material).findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<Material[]> {
    return this.dataSource.getRepository(Material).findBy({ id: In(ids) });
  }

  async update(id: string, changes: MaterialChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.dataSource.getRepository(Material).update({ id }, changes);
  }

  /** Retires (or puts back) a material; an already retired one keeps the date it was retired. */
  async setRetired(id: string, retired: boolean): Promise<void> {
    await this.dataSource.query(
      retired
        ? 'UPDATE materials SET retired_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL'
        : 'UPDATE materials SET retired_at = NULL, updated_at = now() WHERE id = $1 AND retired_at IS NOT NULL',
      [id],
    );
  }

  listForOrganization(organizationId: string, status: MaterialListStatus, limit: number, offset: number): Promise<[Material[], number]> {
    const retiredAt = status === 'active' ? IsNull() : status === 'retired' ? Not(IsNull()) : undefined;
    return this.dataSource.getRepository(Material).findAndCount({
      where: { organizationId, ...(retiredAt ? { retiredAt } : {}) },
      order: { kind: 'ASC', name: 'ASC', language: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  /** The materials the campaign hands out: the ones chosen for it that are not retired. */
  async listForCampaign(campaignId: string): Promise<Material[]> {
    return this.dataSource
      .getRepository(Material)
      .createQueryBuilder('m')
      .innerJoin(CampaignMaterial, 'cm', 'cm.material_id = m.id')
      .where('cm.campaign_id = :campaignId', { campaignId })
      .andWhere('m.retired_at IS NULL')
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
