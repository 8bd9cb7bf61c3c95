import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, Point, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';

/**
 * An addressed building (street + number) of a campaign; its doors are its units, or one door. No
 * residents' names, ever. The same address may be two buildings when its points lie far apart
 * (the same street name in two towns), so the address is indexed, not unique.
 */
@Entity({ name: 'buildings' })
@Index('ix_buildings_campaign_address', ['campaignId', 'streetKey', 'numberKey'])
@Index('ix_buildings_location', ['location'], { spatial: true })
export class Building {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_buildings' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_buildings_campaign' })
  campaign?: Campaign;

  @Column({ type: 'geography', spatialFeatureType: 'Point', srid: 4326 })
  location: Point;

  @Column({ type: 'varchar', length: 20 })
  number: string;

  @Column({ type: 'varchar', length: 20 })
  numberKey: string;

  @Column({ type: 'varchar', length: 200 })
  street: string;

  @Column({ type: 'varchar', length: 200 })
  streetKey: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  postcode: string | null;

  /** The ID column of the imported file, to trace a door back to its source. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  sourceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
