import { Column, Entity, Index, JoinColumn, ManyToOne, MultiPolygon, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign, Door, Turf } from '@app/turf';

/**
 * Rollups of the visits, kept by the worker from the stream of committed visits (by writing
 * transaction), so that dashboards never count raw visits. Each row is recomputed whole from
 * the visits of the doors that changed: exact, and the same however often it is redone.
 */
@Entity({ name: 'door_coverage' })
@Index('ix_door_coverage_campaign', ['campaignId'])
export class DoorCoverage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_door_coverage' })
  doorId: string;

  @ManyToOne(() => Door, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'door_id', foreignKeyConstraintName: 'fk_door_coverage_door' })
  door?: Door;

  @Column({ type: 'uuid' })
  campaignId: string;

  /** Accepted visits. */
  @Column({ type: 'integer' })
  attempts: number;

  /** The latest visit's outcome: the door's status. */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  @Column({ type: 'timestamptz' })
  lastAt: Date;

  /** Someone talked at least once. */
  @Column({ type: 'boolean' })
  reached: boolean;

  /** Materials left at this door, by material id. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  materials: Record<string, number>;
}

@Entity({ name: 'turf_coverage' })
@Index('ix_turf_coverage_campaign', ['campaignId'])
export class TurfCoverage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_turf_coverage' })
  turfId: string;

  @ManyToOne(() => Turf, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'turf_id', foreignKeyConstraintName: 'fk_turf_coverage_turf' })
  turf?: Turf;

  @Column({ type: 'uuid' })
  campaignId: string;

  @Column({ type: 'integer' }) doors: number;
  @Column({ type: 'integer' }) attempted: number;
  @Column({ type: 'integer' }) reached: number;
  @Column({ type: 'integer' }) withMaterials: number;
  @Column({ type: 'integer' }) doNotKnock: number;
  @Column({ type: 'integer' }) visits: number;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'campaign_coverage' })
export class CampaignCoverage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_campaign_coverage' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_campaign_coverage_campaign' })
  campaign?: Campaign;

  @Column({ type: 'integer' }) doors: number;
  @Column({ type: 'integer' }) attempted: number;
  @Column({ type: 'integer' }) reached: number;
  @Column({ type: 'integer' }) withMaterials: number;
  @Column({ type: 'integer' }) doNotKnock: number;
  @Column({ type: 'integer' }) visits: number;
  /** Materials left at doors, by material id. */
  @Column({ type: 'jsonb', default: () => `'{}'` }) materials: Record<string, number>;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A number that changes whenever the per-turf figures of a campaign may have: database triggers
 * on turfs, turf_coverage and route_assignments bump it in the writing transaction (see the
 * migration CoverageVersions), whichever code path wrote. The API keeps the last all-turfs answer
 * per campaign and serves it again while the number it was read under is current.
 */
@Entity({ name: 'coverage_versions' })
export class CoverageVersion {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_coverage_versions' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_coverage_versions_campaign' })
  campaign?: Campaign;

  @Column({ type: 'bigint', default: 1 })
  turfs: string;
}

/** Visits per hour (UTC hour buckets; days are summed in the campaign's zone). */
@Entity({ name: 'coverage_hourly' })
export class CoverageHourly {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_coverage_hourly' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_coverage_hourly_campaign' })
  campaign?: Campaign;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'pk_coverage_hourly' })
  hour: Date;

  @Column({ type: 'integer' }) visits: number;
  /** Visits where someone talked. */
  @Column({ type: 'integer' }) talked: number;
}

/** Each volunteer's work in a campaign. */
@Entity({ name: 'volunteer_coverage' })
export class VolunteerCoverage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_volunteer_coverage' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_volunteer_coverage_campaign' })
  campaign?: Campaign;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_volunteer_coverage' })
  userId: string;

  @Column({ type: 'integer' }) visits: number;
  @Column({ type: 'integer' }) doorsAttempted: number;
  @Column({ type: 'integer' }) doorsReached: number;
  @Column({ type: 'integer' }) materialsLeft: number;
}

/** A neighbourhood's outline, imported as GeoJSON, for breaking a campaign's figures down by place. */
@Entity({ name: 'neighbourhoods' })
@Index('ix_neighbourhoods_campaign', ['campaignId', 'name'])
export class Neighbourhood {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_neighbourhoods' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_neighbourhoods_campaign' })
  campaign?: Campaign;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'geography', spatialFeatureType: 'MultiPolygon', srid: 4326 })
  area: MultiPolygon;
}

/** Which neighbourhood each door lies in, worked out once when the outlines are imported. */
@Entity({ name: 'neighbourhood_doors' })
@Index('ix_neighbourhood_doors_door', ['doorId'])
export class NeighbourhoodDoor {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_neighbourhood_doors' })
  neighbourhoodId: string;

  @ManyToOne(() => Neighbourhood, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'neighbourhood_id', foreignKeyConstraintName: 'fk_neighbourhood_doors_neighbourhood' })
  neighbourhood?: Neighbourhood;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_neighbourhood_doors' })
  doorId: string;

  @ManyToOne(() => Door, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'door_id', foreignKeyConstraintName: 'fk_neighbourhood_doors_door' })
  door?: Door;
}

/** How far the rollups have read the visit stream: the oldest transaction not yet certainly seen. */
@Entity({ name: 'rollup_cursors' })
export class RollupCursor {
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_rollup_cursors' })
  name: string;

  @Column({ type: 'bigint' })
  txid: string;
}

export const COVERAGE_ENTITIES = [
  DoorCoverage,
  TurfCoverage,
  CampaignCoverage,
  CoverageVersion,
  CoverageHourly,
  VolunteerCoverage,
  Neighbourhood,
  NeighbourhoodDoor,
  RollupCursor,
];
