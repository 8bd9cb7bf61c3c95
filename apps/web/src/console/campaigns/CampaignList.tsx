import { useTranslation } from 'react-i18next';

export function CampaignList() {
  const { t } = useTranslation();
  return <h1>{t('console.nav.campaigns')}</h1>;
}
