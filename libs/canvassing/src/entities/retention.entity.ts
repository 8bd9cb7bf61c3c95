import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '@app/turf';

/**
 * A finished campaign whose door-level visits were deleted once past the organization's
 * retention: sync refuses any visit or check-in for it (an old phone's outbox must not bring
 * them back), and the coverage rollups of the campaign are final. The follow-ups are deleted
 * with the visits; their counts stay here for the dashboard.
 */
@Entity({ name: 'purged_campaigns' })
export class PurgedCampaign {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_purged_campaigns' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_purged_campaigns_campaign' })
  campaign?: Campaign;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  purgedAt: Date;

  @Column({ type: 'integer', default: 0 })
  followUpsOpen: number;

  @Column({ type: 'integer', default: 0 })
  followUpsClosed: number;
}
