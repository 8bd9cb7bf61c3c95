import { useTranslation } from 'react-i18next';

/** One campaign: addresses, turfs and routes. Paths inside are relative to /app/console/campaigns/:id. */
export function CampaignPage({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  return <h1 data-campaign={campaignId}>{t('console.nav.campaigns')}</h1>;
}
