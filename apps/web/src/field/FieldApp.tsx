import { useTranslation } from 'react-i18next';

/** The volunteer's phone app: routes, walking a route, the outbox. */
export default function FieldApp() {
  const { t } = useTranslation();
  return <h1>{t('field.title')}</h1>;
}
