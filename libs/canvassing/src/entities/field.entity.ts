import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Campaign, Door } from '@app/turf';
import { Material } from './material.entity';

export const VISIT_OUTCOMES = ['not_home', 'talked', 'refused', 'moved', 'no_access', 'do_not_knock', 'come_back_later'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/** Accepted records count; quarantined ones wait for a coordinator, who accepts or discards them. */
export const RECORD_STATUSES = ['accepted', 'quarantined', 'discarded'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Why a phone's clock is not believed: more than 10 minutes ahead of the server, or earlier than the assignment. */
export const CLOCK_FLAGS = ['ahead', 'before_assignment'] as const;
export type ClockFlag = (typeof CLOCK_FLAGS)[number];

/**
 * A volunteer's time out on a route, from check-in to check-out. The id is made on the phone,
 * so a check-in sent twice is stored once. Closed by the worker when left open for 12 hours.
 */
@Entity({ name: 'shifts' })
@Index('ix_shifts_campaign', ['campaignId', 'startedAt'])
@Index('ix_shifts_open', ['organizationId'], { where: '"ended_at" IS NULL' })
@Check('ck_shifts_status', `"status" IN ('accepted', 'quarantined', 'discarded')`)
@Check('ck_shifts_ended_by', `"ended_by" IS NULL OR "ended_by" IN ('volunteer', 'auto')`)
@Check('ck_shifts_clock_flag', `"clock_flag" IS NULL OR "clock_flag" IN ('ahead', 'before_assignment')`)
export class Shift {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shifts' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_shifts_campaign' })
  campaign?: Campaign;

  /** The route walked. Not a foreign key: the record stays when the turf is later re-cut. */
  @Column({ type: 'uuid' })
  turfId: string;

  @Column({ type: 'uuid', nullable: true })
  assignmentId: string | null;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid', nullable: true })
  partnerUserId: string | null;

  /** Phone time. */
  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  endedBy: 'volunteer' | 'auto' | null;

  /** The id the phone gave its check-out record, so a check-out sent twice is recognised. */
  @Column({ type: 'uuid', nullable: true, unique: true })
  checkoutId: string | null;

  /** Only when the volunteer chose to share it and the organization allows it; rounded to about 100 m. */
  @Column({ type: 'numeric', precision: 7, scale: 3, nullable: true })
  coarseLat: string | null;

  @Column({ type: 'numeric', precision: 7, scale: 3, nullable: true })
  coarseLon: string | null;

  @Column({ type: 'varchar', length: 12, default: 'accepted' })
  status: RecordStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  quarantineReason: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  clockFlag: ClockFlag | null;
}

/** How many of a material a volunteer took out for a shift, and brought back. */
@Entity({ name: 'shift_materials' })
@Check('ck_shift_materials_counts', `"taken" >= 0 AND ("returned" IS NULL OR "returned" >= 0)`)
export class ShiftMaterial {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shift_materials' })
  shiftId: string;

  @ManyToOne(() => Shift, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'shift_id', foreignKeyConstraintName: 'fk_shift_materials_shift' })
  shift?: Shift;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shift_materials' })
  materialId: string;

  @ManyToOne(() => Material, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'material_id', foreignKeyConstraintName: 'fk_shift_materials_material' })
  material?: Material;

  @Column({ type: 'integer', default: 0 })
  taken: number;

  @Column({ type: 'integer', nullable: true })
  returned: number | null;
}

/**
 * One attempt at one door, appended and never edited in place (only a coordinator's review of a
 * quarantined visit changes its status). The id is made on the phone. A door's status is its
 * latest accepted visit by `effective_at` (phone time, but never later than the server's), then `seq`.
 */
@Entity({ name: 'visits' })
@Index('ix_visits_door_latest', ['doorId', 'effectiveAt', 'seq'])
@Index('ix_visits_turf_txid', ['turfId', 'txid'])
@Index('ix_visits_txid', ['txid'])
@Index('ix_visits_campaign_effective', ['campaignId', 'effectiveAt'])
@Index('ix_visits_user_campaign', ['userId', 'campaignId'])
@Index('ix_visits_campaign', ['campaignId', 'receivedAt'])
@Index('ix_visits_held', ['organizationId', 'receivedAt'], { where: `"status" = 'quarantined' OR "clock_flag" IS NOT NULL` })
@Check('ck_visits_outcome', `"outcome" IN ('not_home', 'talked', 'refused', 'moved', 'no_access', 'do_not_knock', 'come_back_later')`)
@Check('ck_visits_status', `"status" IN ('accepted', 'quarantined', 'discarded')`)
@Check('ck_visits_clock_flag', `"clock_flag" IS NULL OR "clock_flag" IN ('ahead', 'before_assignment')`)
@Check('ck_visits_language', `"language" IS NULL OR "language" ~ '^[a-z]{2}$'`)
// Notes are stored sealed (AES-256-GCM, see NoteSealer): v1:<key id>:<iv>:<ciphertext>:<tag>, in base64.
// 500 characters of plain text are at most 2,000 bytes, so 2,668 of base64, plus the rest of the form.
@Check(
  'ck_visits_note_sealed',
  `"note" IS NULL OR ("note" ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]*={0,2}:[A-Za-z0-9+/]{22}==$' AND char_length("note") <= 2800)`,
)
export class Visit {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_visits' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  /** The route the visit was made on. Not a foreign key: the record stays when the turf is later re-cut. */
  @Column({ type: 'uuid' })
  turfId: string;

  @Column({ type: 'uuid' })
  doorId: string;

  @ManyToOne(() => Door, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'door_id', foreignKeyConstraintName: 'fk_visits_door' })
  door?: Door;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid', nullable: true })
  shiftId: string | null;

  @Column({ type: 'varchar', length: 20 })
  outcome: VisitOutcome;

  /** ISO 639-1 code of the conversation's language. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  language: string | null;

  /** The household asked for legal follow-up (a follow-up task holds nothing beyond the door). */
  @Column({ type: 'boolean', default: false })
  followUp: boolean;

  /** Only when the organization has enabled notes; organizers alone read it. Sealed, bound to this visit's id. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Phone time. */
  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** The time the visit counts at: the phone's, unless the phone claims a time after the server received it. */
  @Column({ type: 'timestamptz' })
  effectiveAt: Date;

  /** Server order, which breaks ties between visits at the same time. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  /** The writing transaction's id: phones pull what changed since a snapshot's horizon. */
  @Column({ type: 'bigint' })
  txid: string;

  @Column({ type: 'varchar', length: 12, default: 'accepted' })
  status: RecordStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  quarantineReason: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  clockFlag: ClockFlag | null;

  @Column({ type: 'uuid', nullable: true })
  reviewedByUserId: string | null;

  /** The organizer or coordinator who typed the visit in from a paper walk list; null for a phone's. */
  @Column({ type: 'uuid', nullable: true })
  enteredByUserId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;
}

/** A material left at a door (under it, when nobody answered). */
@Entity({ name: 'visit_materials' })
@Check('ck_visit_materials_quantity', `"quantity" > 0`)
export class VisitMaterial {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_visit_materials' })
  visitId: string;

  @ManyToOne(() => Visit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'visit_id', foreignKeyConstraintName: 'fk_visit_materials_visit' })
  visit?: Visit;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_visit_materials' })
  materialId: string;

  @ManyToOne(() => Material, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'material_id', foreignKeyConstraintName: 'fk_visit_materials_material' })
  material?: Material;

  @Column({ type: 'integer' })
  quantity: number;
}

/** A household asked for legal follow-up. Holds nothing but the door; coordinators close it. */
@Entity({ name: 'follow_ups' })
@Index('ix_follow_ups_campaign', ['campaignId', 'status', 'createdAt'])
@Check('ck_follow_ups_status', `"status" IN ('open', 'closed')`)
export class FollowUp {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_follow_ups' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @Column({ type: 'uuid' })
  doorId: string;

  @Column({ type: 'uuid', unique: true })
  visitId: string;

  @ManyToOne(() => Visit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'visit_id', foreignKeyConstraintName: 'fk_follow_ups_visit' })
  visit?: Visit;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: 'open' | 'closed';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  closedByUserId: string | null;
}

export const FIELD_ENTITIES = [Shift, ShiftMaterial, Visit, VisitMaterial, FollowUp];
