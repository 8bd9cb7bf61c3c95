import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The tenant: a community group. Every row that belongs to one carries its id. */
@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organizations' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Whether volunteers may add a note to a visit. Off by default: the less written down, the less to leak. */
  @Column({ type: 'boolean', default: false })
  notesEnabled: boolean;

  /** Whether volunteers may share a coarse location at check-in. Off means none is ever stored. */
  @Column({ type: 'boolean', default: true })
  coarseLocationEnabled: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
