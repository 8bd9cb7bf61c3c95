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

/** The interface languages a material is named in. */
export const MATERIAL_NAME_LANGUAGES = ['en', 'es'] as const;
export type MaterialNames = Partial<Record<(typeof MATERIAL_NAME_LANGUAGES)[number], string>>;

/** Something volunteers hand out (a know-your-rights card in Spanish, say), with the stock on hand. */
@Entity({ name: 'materials' })
@Unique('uq_materials_organization_name_language', ['organizationId', 'name', 'language'])
@Check('ck_materials_kind', `"kind" IN ('kyr_card', 'hotline_card', 'flyer', 'red_card', 'other')`)
@Check('ck_materials_language', `"language" ~ '^[a-z]{2}$'`)
@Check('ck_materials_stock', `"stock" >= 0`)
@Check('ck_materials_low_stock_threshold', `"low_stock_threshold" IS NULL OR "low_stock_threshold" >= 0`)
export class Material {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_materials' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_materials_organization' })
  organization?: Organization;

  /** The catalogue's name: the English one unless the organizer gave another. */
  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** The name in each interface language (`en`, `es`), as volunteers and coordinators read it. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  names: MaterialNames;

  @Column({ type: 'varchar', length: 20 })
  kind: MaterialKind;

  /** ISO 639-1 code of the material's language. */
  @Column({ type: 'varchar', length: 2 })
  language: string;

  /** Where the printable file is. */
  @Column({ type: 'text', nullable: true })
  linkUrl: string | null;

  /** On hand: down by what volunteers take at check-in, up by what they bring back at check-out. */
  @Column({ type: 'integer', default: 0 })
  stock: number;

  /** The dashboard warns when the stock is at or below this; null: no warning. */
  @Column({ type: 'integer', nullable: true })
  lowStockThreshold: number | null;

  /** No longer handed out: kept for the records that name it, off every campaign's list. */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

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
