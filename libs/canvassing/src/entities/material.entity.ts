import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from '@app/organizations';
import { Campaign } from '@app/turf';

export const MATERIAL_KINDS = ['kyr_card', 'hotline_card', 'flyer', 'red_card', 'other'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/** Something volunteers hand out (a know-your-rights card in Spanish, say), with the stock on hand. */
@Entity({ name: 'materials' })
@Unique('uq_materials_organization_name_language', ['organizationId', 'name', 'language'])
@Check('ck_materials_kind', `"kind" IN ('kyr_card', 'hotline_card', 'flyer', 'red_card', 'other')`)
@Check('ck_materials_language', `"language" ~ '^[a-z]{2}$'`)
@Check('ck_materials_stock', `"stock" >= 0`)
export class Material {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_materials' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_materials_organization' })
  organization?: Organization;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: MaterialKind;

  /** ISO 639-1 code of the material's language. */
  @Column({ type: 'varchar', length: 2 })
  language: string;

  /** Where the printable file is. */
  @Column({ type: 'text', nullable: true })
  linkUrl: string | null;

  @Column({ type: 'integer', default: 0 })
  stock: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The materials a campaign hands out. */
@Entity({ name: 'campaign_materials' })
export class CampaignMaterial {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_campaign_materials' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_campaign_materials_campaign' })
  campaign?: Campaign;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_campaign_materials' })
  materialId: string;

  @ManyToOne(() => Material, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'material_id', foreignKeyConstraintName: 'fk_campaign_materials_material' })
  material?: Material;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
