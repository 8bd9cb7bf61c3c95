import { useTranslation } from 'react-i18next';

/** A campaign's coverage dashboard. */
export function CoveragePage({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  return <h1 data-campaign={campaignId}>{t('dashboard.title')}</h1>;
}
