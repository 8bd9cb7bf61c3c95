import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Building } from './building.entity';

/** Something a volunteer can knock on: a house, or one unit of an apartment building. */
@Entity({ name: 'doors' })
@Unique('uq_doors_building_unit', ['buildingId', 'unitKey'])
@Index('ix_doors_campaign', ['campaignId'])
export class Door {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_doors' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @Column({ type: 'uuid' })
  buildingId: string;

  @ManyToOne(() => Building, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'building_id', foreignKeyConstraintName: 'fk_doors_building' })
  building?: Building;

  @Column({ type: 'varchar', length: 40, nullable: true })
  unit: string | null;

  /** Normalised unit ('' for a house), so "Apt 2B" and "#2B" are one door. */
  @Column({ type: 'varchar', length: 40, default: '' })
  unitKey: string;

  /** Set when the household asked not to be visited again, or the door is unsafe: never routed again. */
  @Column({ type: 'timestamptz', nullable: true })
  doNotKnockAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
