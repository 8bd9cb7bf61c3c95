import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page, useApi } from '../coverage/useApi';
import { EventForm } from './EventForm';
import { formatInZone, useNow } from './time';
import { EventItem, localized } from './types';
import '../coverage/dashboard.css';

/** The organization's events, soonest first, and the form for a new one. */
export function EventList() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [, navigate] = useLocation();
  const [past, setPast] = useState(false);
  const [creating, setCreating] = useState(false);
  const events = useApi<Page<EventItem>>(`/events?limit=100${past ? '&past=true' : ''}`);
  const canEdit = me?.role === 'organizer' || me?.role === 'coordinator';
  const items = events.data?.items ?? [];
  // With past events included the API still lists soonest first; upcoming ones go on top.
  const now = useNow();
  const upcoming = items.filter((e) => new Date(e.endsAt).getTime() >= now);
  const ended = items.filter((e) => new Date(e.endsAt).getTime() < now).reverse();

  return (
    <section className="dash" aria-labelledby="events-title">
      <h1 id="events-title">{t('dashboard.events.title')}</h1>
      <div className="row">
        {canEdit && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('dashboard.events.new')}
          </button>
        )}
        <label className="dash-checkbox">
          <input type="checkbox" checked={past} onChange={(e) => setPast(e.target.checked)} />
          {t('dashboard.events.includePast')}
        </label>
      </div>
      {creating && <EventForm onSaved={(e) => navigate(`/events/${e.id}`)} onCancel={() => setCreating(false)} />}
      <ErrorMessage error={events.error} />
      {events.data && items.length === 0 && <p className="muted">{t('dashboard.events.none')}</p>}
      {[...upcoming, ...ended].length > 0 && (
        <table>
          <caption className="visually-hidden">{t('dashboard.events.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.events.event')}</th>
              <th scope="col">{t('dashboard.events.when')}</th>
              <th scope="col">{t('dashboard.events.where')}</th>
              <th scope="col">{t('dashboard.events.people')}</th>
              <th scope="col">{t('dashboard.events.status')}</th>
            </tr>
          </thead>
          <tbody>
            {[...upcoming, ...ended].map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  <Link href={`/events/${e.id}`}>{localized(e.title, i18n.language)}</Link>
                  <div className="muted">
                    {t(`dashboard.eventKind.${e.kind}`)} · {t(`dashboard.visibility.${e.visibility}`)}
                  </div>
                </th>
                <td>{formatInZone(e.startsAt, e.timeZone, i18n.language)}</td>
                <td>{e.address}</td>
                <td>{t('dashboard.events.going', { confirmed: e.confirmed, waitlisted: e.waitlisted })}</td>
                <td>
                  <EventStatus event={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function EventStatus({ event }: { event: EventItem }) {
  const { t } = useTranslation();
  const now = useNow();
  if (event.status === 'cancelled') return <span className="badge bad">{t('dashboard.eventStatus.cancelled')}</span>;
  if (new Date(event.endsAt).getTime() < now) return <span className="badge">{t('dashboard.eventStatus.ended')}</span>;
  return <span className="badge ok">{t('dashboard.eventStatus.scheduled')}</span>;
}
