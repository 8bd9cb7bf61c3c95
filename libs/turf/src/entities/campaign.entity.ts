import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  MultiPolygon,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from '@app/organizations';

/** A canvass: "Know your rights - Reynoldstown, July". Doors, turfs, routes and visits belong to one. */
@Entity({ name: 'campaigns' })
@Index('ix_campaigns_organization_created', ['organizationId', 'createdAt'])
@Check('ck_campaigns_dates', `"ends_on" IS NULL OR "starts_on" IS NULL OR "ends_on" >= "starts_on"`)
export class Campaign {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_campaigns' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_campaigns_organization' })
  organization?: Organization;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'date', nullable: true })
  startsOn: string | null;

  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  /** Whether a volunteer who types (or scans) a route's code gets the route. */
  @Column({ type: 'boolean', default: false })
  allowSelfAssignment: boolean;

  /** IANA zone the campaign's days and hours are counted in (dashboards' time series). */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone: string;

  /** The area the campaign covers, when the organizer drew or chose one. */
  @Column({ type: 'geography', spatialFeatureType: 'MultiPolygon', srid: 4326, nullable: true })
  area: MultiPolygon | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
