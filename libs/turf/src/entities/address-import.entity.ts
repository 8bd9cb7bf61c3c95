import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';
import type { RejectionCode, RejectionParams } from '../import/address-row';

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Rows of one address (same normalised street, number and unit) merge into one door only within this distance of each other. */
export const MERGE_WITHIN_METRES = 150;

/** An address that the campaign has at several places, each more than MERGE_WITHIN_METRES from the others. */
export interface KeptApartExample {
  street: string;
  number: string;
  unit: string | null;
  /** How many doors (places) the campaign has for it. */
  places: number;
  /** The distance between the two places farthest apart. */
  farthestMetres: number;
}

/** Why a file could not be read, for the app to word (see ERROR_REASONS). */
export interface ImportErrorDetails {
  reason: string;
  params: Record<string, string | number>;
}

/** One upload of an address file into a campaign, with its progress and report. */
@Entity({ name: 'address_imports' })
@Index('ix_address_imports_campaign_created', ['campaignId', 'createdAt'])
@Check('ck_address_imports_status', `"status" IN ('queued', 'running', 'completed', 'failed')`)
@Check('ck_address_imports_format', `"format" IN ('csv', 'geojson')`)
export class AddressImport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_address_imports' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_address_imports_campaign' })
  campaign?: Campaign;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 10 })
  format: ImportFormat;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status: ImportStatus;

  /** Data rows in the file (estimated from its lines until the import has read them all). */
  @Column({ type: 'integer', nullable: true })
  rowsTotal: number | null;

  @Column({ type: 'integer', default: 0 })
  rowsRead: number;

  /** New doors created. */
  @Column({ type: 'integer', default: 0 })
  rowsImported: number;

  /** Valid rows whose door (normalised street, number and unit, within MERGE_WITHIN_METRES) was already in the file or the campaign. */
  @Column({ type: 'integer', default: 0 })
  duplicatesMerged: number;

  /** Addresses of the file (normalised street, number and unit) that are doors at two or more places too far apart to be one. */
  @Column({ type: 'integer', default: 0 })
  addressesKeptApart: number;

  /** The first of those addresses, for the organizer to check. */
  @Column({ type: 'jsonb', nullable: true })
  keptApartExamples: KeptApartExample[] | null;

  @Column({ type: 'integer', default: 0 })
  rowsRejected: number;

  @Column({ type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'jsonb', nullable: true })
  errorDetails: ImportErrorDetails | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** The uploaded bytes, kept only until the import has run (so api and worker need no shared disk). */
@Entity({ name: 'address_import_files' })
export class AddressImportFile {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_address_import_files' })
  importId: string;

  @ManyToOne(() => AddressImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'fk_address_import_files_import' })
  addressImport?: AddressImport;

  @Column({ type: 'bytea' })
  content: Buffer;
}

/** A row the import refused, with its line number and the reason. */
@Entity({ name: 'address_import_rejections' })
@Index('ix_address_import_rejections_import_line', ['importId', 'line'])
export class AddressImportRejection {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_address_import_rejections',
  })
  id: string;

  @Column({ type: 'uuid' })
  importId: string;

  @ManyToOne(() => AddressImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'fk_address_import_rejections_import' })
  addressImport?: AddressImport;

  @Column({ type: 'integer' })
  line: number;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  /** Null on rows refused before rejections carried codes. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  reasonCode: RejectionCode | null;

  @Column({ type: 'jsonb', nullable: true })
  reasonParams: RejectionParams | null;
}
