import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Retention periods are whole days, from one day to ten years. */
export const RETENTION_DAYS = { min: 1, max: 3650, default: 90 } as const;
export const RETENTION_SETTINGS = [
  'notesRetentionDays',
  'locationsRetentionDays',
  'supporterContactsRetentionDays',
  'visitsRetentionDays',
] as const;
export type RetentionSetting = (typeof RETENTION_SETTINGS)[number];

/** What organizers may change of their organization (PATCH /organizations/current). */
export type OrganizationSettings = Pick<
  Organization,
  | 'name'
  | 'country'
  | 'notesEnabled'
  | 'coarseLocationEnabled'
  | 'emailRemindersEnabled'
  | 'smsRemindersEnabled'
  | 'leaderboardsEnabled'
  | 'mapTileUrl'
  | RetentionSetting
>;

/** The tenant: a community group. Every row that belongs to one carries its id. */
@Entity({ name: 'organizations' })
@Check(
  'ck_organizations_retention',
  `"notes_retention_days" BETWEEN 1 AND 3650 AND "locations_retention_days" BETWEEN 1 AND 3650 AND "supporter_contacts_retention_days" BETWEEN 1 AND 3650 AND "visits_retention_days" BETWEEN 1 AND 3650`,
)
export class Organization {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organizations' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /**
   * ISO 3166-1 alpha-2 country the group works in: members and supporters type their phone
   * numbers as dialled there ("404-555-0199" in the US), and they are stored as E.164.
   */
  @Column({ type: 'char', length: 2, default: 'US' })
  country: string;

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

  /**
   * How long, in days after a campaign ends (or an event, for supporters), the worker keeps: visit
   * notes, coarse locations shared at check-in, supporters' names and contact details, and the
   * door-level visits of finished campaigns. Then it purges them and keeps only the counts.
   */
  @Column({ type: 'integer', default: RETENTION_DAYS.default })
  notesRetentionDays: number;

  @Column({ type: 'integer', default: RETENTION_DAYS.default })
  locationsRetentionDays: number;

  @Column({ type: 'integer', default: RETENTION_DAYS.default })
  supporterContactsRetentionDays: number;

  @Column({ type: 'integer', default: RETENTION_DAYS.default })
  visitsRetentionDays: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
