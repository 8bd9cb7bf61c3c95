import { useTranslation } from 'react-i18next';

/** One event: details, RSVPs, reminders and their delivery. */
export function EventPage({ eventId }: { eventId: string }) {
  const { t } = useTranslation();
  return <h1 data-event={eventId}>{t('console.nav.events')}</h1>;
}
