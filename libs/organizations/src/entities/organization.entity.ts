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

  /** Reminders by e-mail and by SMS; a channel turned off here is skipped and the person's other one is used. */
  @Column({ type: 'boolean', default: true })
  emailRemindersEnabled: boolean;

  @Column({ type: 'boolean', default: true })
  smsRemindersEnabled: boolean;

  /** Leaderboards of volunteers by doors attempted: off unless the organization wants them. */
  @Column({ type: 'boolean', default: false })
  leaderboardsEnabled: boolean;

  /**
   * Map tiles for the web app's maps, as a URL template with {z}, {x} and {y} (a self-hosted tile
   * server, say). Null: maps draw only Porchlight's own data and make no request elsewhere.
   */
  @Column({ type: 'varchar', length: 500, nullable: true })
  mapTileUrl: string | null;

  /** The organization's default reminder schedule for new events; Porchlight's default when null. */
  @Column({ type: 'jsonb', nullable: true })
  reminderSchedule: object[] | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
