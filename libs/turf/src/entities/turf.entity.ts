import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  Polygon,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Campaign } from './campaign.entity';
import { Door } from './door.entity';

/**
 * A piece of a campaign a volunteer pair can walk, with its walking route: the turf's doors
 * in route order (`turf_doors.position`), from its meeting point.
 */
@Entity({ name: 'turfs' })
@Unique('uq_turfs_code', ['code'])
@Index('ix_turfs_campaign', ['campaignId', 'name'])
export class Turf {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_turfs' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_turfs_campaign' })
  campaign?: Campaign;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Short code a volunteer can type, or scan as a QR code. */
  @Column({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'integer' })
  doorCount: number;

  @Column({ type: 'integer' })
  walkMetres: number;

  @Column({ type: 'integer' })
  walkMinutes: number;

  /** Where the route starts: the door nearest the turf's centroid unless the organizer chose another. */
  @Column({ type: 'uuid', nullable: true })
  meetingDoorId: string | null;

  /** The convex hull of the turf's buildings, for the map. */
  @Column({ type: 'geography', spatialFeatureType: 'Polygon', srid: 4326, nullable: true })
  outline: Polygon | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A door's place in a turf's route. A door belongs to at most one turf of a campaign. */
@Entity({ name: 'turf_doors' })
@Unique('uq_turf_doors_campaign_door', ['campaignId', 'doorId'])
@Unique('uq_turf_doors_turf_position', ['turfId', 'position'])
export class TurfDoor {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_turf_doors' })
  turfId: string;

  @ManyToOne(() => Turf, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'turf_id', foreignKeyConstraintName: 'fk_turf_doors_turf' })
  turf?: Turf;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_turf_doors' })
  doorId: string;

  @ManyToOne(() => Door, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'door_id', foreignKeyConstraintName: 'fk_turf_doors_door' })
  door?: Door;

  @Column({ type: 'uuid' })
  campaignId: string;

  @Column({ type: 'integer' })
  position: number;
}

export const ASSIGNMENT_STATUSES = ['assigned', 'in_progress', 'completed', 'released', 'expired'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** A route handed to one volunteer or a pair (the safety norm), until it expires. */
@Entity({ name: 'route_assignments' })
@Index('ix_route_assignments_turf', ['turfId', 'createdAt'])
// GIN, made by the migration; TypeORM cannot declare the method, so it leaves this index alone.
@Index('ix_route_assignments_assignees', { synchronize: false })
@Check('ck_route_assignments_status', `"status" IN ('assigned', 'in_progress', 'completed', 'released', 'expired')`)
@Check('ck_route_assignments_assignees', `cardinality("assignee_ids") BETWEEN 1 AND 2`)
export class RouteAssignment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_route_assignments' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  turfId: string;

  @ManyToOne(() => Turf, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'turf_id', foreignKeyConstraintName: 'fk_route_assignments_turf' })
  turf?: Turf;

  /** The volunteers (user ids) walking it: one, or a pair. */
  @Column({ type: 'uuid', array: true })
  assigneeIds: string[];

  @Column({ type: 'varchar', length: 12, default: 'assigned' })
  status: AssignmentStatus;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'uuid', nullable: true })
  assignedByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
