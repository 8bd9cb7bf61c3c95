import { useTranslation } from 'react-i18next';

export function EventList() {
  const { t } = useTranslation();
  return <h1>{t('console.nav.events')}</h1>;
}
