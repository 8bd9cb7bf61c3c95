import { useTranslation } from 'react-i18next';

/** The organizer and coordinator console. */
export default function ConsoleApp() {
  const { t } = useTranslation();
  return <h1>{t('console.title')}</h1>;
}
