import { useTranslation } from 'react-i18next';

export function MembersPage() {
  const { t } = useTranslation();
  return <h1>{t('console.nav.members')}</h1>;
}
