import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime } from '../coverage/format';
import { Page, useApi } from '../coverage/useApi';
import { ChannelsNotice, useReminderReason } from './ChannelsNotice';
import { EventForm } from './EventForm';
import { EventStatus } from './EventList';
import { ScheduleEditor } from './ScheduleEditor';
import { formatInZone } from './time';
import { EventChange, EventItem, localized, Reminder, Rsvp } from './types';
import '../coverage/dashboard.css';

/** One event: details, RSVPs, reminders and their delivery. */
export function EventPage({ eventId }: { eventId: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const lang = i18n.language;
  const canEdit = me?.role === 'organizer' || me?.role === 'coordinator';
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loaded = useApi<EventItem>(`/events/${eventId}`, version);
  const rsvps = useApi<Page<Rsvp>>(canEdit ? `/events/${eventId}/rsvps?limit=100` : null, version);
  const reminders = useApi<Page<Reminder>>(canEdit ? `/events/${eventId}/reminders?limit=100` : null, version);
  const changes = useApi<EventChange[]>(canEdit ? `/events/${eventId}/changes` : null, version);
  const event = loaded.data;

  // After a change the event is read again, with its RSVPs and reminders (which may have moved).
  const refresh = (message?: string) => {
    setNotice(message ?? null);
    setVersion((v) => v + 1);
  };

  const cancelEvent = async () => {
    if (!event || !window.confirm(t('dashboard.event.cancelConfirm'))) return;
    setActionError(null);
    try {
      await api<EventItem>('POST', `/events/${event.id}/cancel`);
      refresh(t('dashboard.event.cancelled'));
    } catch (err) {
      setActionError(err);
    }
  };

  if (!event) {
    return (
      <section className="dash">
        <p>
          <Link href="/events">{t('dashboard.events.back')}</Link>
        </p>
        <ErrorMessage error={loaded.error} />
        {!loaded.error && (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
      </section>
    );
  }

  const description = localized(event.description, lang);
  return (
    <section className="dash" aria-labelledby="event-title">
      <p>
        <Link href="/events">{t('dashboard.events.back')}</Link>
      </p>
      <h1 id="event-title">{localized(event.title, lang)}</h1>
      <p role="status" className="success">
        {notice}
      </p>
      <dl className="dash-facts" data-testid="event-facts">
        <dt>{t('dashboard.event.status')}</dt>
        <dd>
          <EventStatus event={event} />
        </dd>
        <dt>{t('dashboard.event.kind')}</dt>
        <dd>{t(`dashboard.eventKind.${event.kind}`)}</dd>
        <dt>{t('dashboard.event.starts')}</dt>
        <dd data-testid="event-starts">{formatInZone(event.startsAt, event.timeZone, lang)}</dd>
        <dt>{t('dashboard.event.ends')}</dt>
        <dd>{formatInZone(event.endsAt, event.timeZone, lang)}</dd>
        <dt>{t('dashboard.event.timeZone')}</dt>
        <dd>{event.timeZone}</dd>
        <dt>{t('dashboard.event.place')}</dt>
        <dd>
          {event.address}
          {event.location && (
            <span className="muted">
              {' '}
              ({event.location.lat}, {event.location.lon})
            </span>
          )}
        </dd>
        <dt>{t('dashboard.event.capacity')}</dt>
        <dd>{event.capacity ?? t('dashboard.event.noLimit')}</dd>
        <dt>{t('dashboard.event.people')}</dt>
        <dd>{t('dashboard.events.going', { confirmed: event.confirmed, waitlisted: event.waitlisted })}</dd>
        <dt>{t('dashboard.event.visibility')}</dt>
        <dd>{t(`dashboard.visibility.${event.visibility}`)}</dd>
        {event.signupUrl && (
          <>
            <dt>{t('dashboard.event.signupLink')}</dt>
            <dd>
              <a href={event.signupUrl} data-testid="signup-link">
                {event.signupUrl}
              </a>
            </dd>
          </>
        )}
      </dl>
      {description && (
        <>
          <h2>{t('dashboard.event.description')}</h2>
          <p className="dash-pre-wrap">{description}</p>
        </>
      )}
      <ErrorMessage error={actionError} />
      {canEdit && event.status === 'scheduled' && !editing && (
        <div className="row">
          <button type="button" onClick={() => setEditing(true)}>
            {t('dashboard.event.edit')}
          </button>
          <button type="button" className="danger" onClick={() => void cancelEvent()}>
            {t('dashboard.event.cancel')}
          </button>
        </div>
      )}
      {editing && (
        <EventForm
          event={event}
          onSaved={() => {
            setEditing(false);
            refresh(t('dashboard.event.saved'));
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {canEdit && (
        <>
          <ChannelsNotice />
          <ScheduleEditor event={event} onSaved={() => refresh(t('dashboard.schedule.saved'))} />
          <Rsvps rsvps={rsvps.data?.items} total={rsvps.data?.total} error={rsvps.error} />
          <Reminders reminders={reminders.data?.items} total={reminders.data?.total} error={reminders.error} timeZone={event.timeZone} />
          <Changes changes={changes.data} error={changes.error} />
        </>
      )}
    </section>
  );
}

function Rsvps({ rsvps, total, error }: { rsvps?: Rsvp[]; total?: number; error: unknown }) {
  const { t, i18n } = useTranslation();
  const summary = (r: Record<string, number> | undefined) =>
    Object.entries(r ?? {})
      .map(([status, n]) =>
        t('dashboard.rsvps.reminderCount', { count: n, status: t(`dashboard.reminderStatus.${status}`, { defaultValue: status }) }),
      )
      .join(', ') || '—';
  return (
    <section aria-labelledby="rsvps-title">
      <h2 id="rsvps-title">{t('dashboard.rsvps.title')}</h2>
      <ErrorMessage error={error} />
      {rsvps && rsvps.length === 0 && <p className="muted">{t('dashboard.rsvps.none')}</p>}
      {rsvps && rsvps.length > 0 && (
        <table data-testid="rsvps">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.rsvps.person')}</th>
              <th scope="col">{t('dashboard.rsvps.response')}</th>
              <th scope="col">{t('dashboard.rsvps.status')}</th>
              <th scope="col">{t('dashboard.rsvps.answered')}</th>
              <th scope="col">{t('dashboard.rsvps.reminders')}</th>
            </tr>
          </thead>
          <tbody>
            {rsvps.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name ?? t('dashboard.rsvps.unnamed')}</th>
                <td>{t(`dashboard.rsvpResponse.${r.response}`)}</td>
                <td>
                  <span className={`badge ${r.status === 'confirmed' ? 'ok' : r.status === 'waitlisted' ? 'warn' : 'bad'}`}>
                    {t(`dashboard.rsvpStatus.${r.status}`)}
                  </span>
                </td>
                <td>{formatDateTime(r.createdAt, i18n.language)}</td>
                <td>{summary(r.reminders)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total !== undefined && rsvps && total > rsvps.length && (
        <p className="muted">{t('dashboard.rsvps.more', { count: total - rsvps.length })}</p>
      )}
    </section>
  );
}

const STATUS_BADGE: Record<Reminder['status'], string> = {
  sent: 'ok',
  pending: 'warn',
  sending: 'warn',
  failed: 'bad',
  skipped: 'bad',
  cancelled: '',
};

/** Due and sent times are shown in the event's zone, as the people reminded live them. */
function Reminders({ reminders, total, error, timeZone }: { reminders?: Reminder[]; total?: number; error: unknown; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const reasonOf = useReminderReason();
  return (
    <section aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t('dashboard.reminders.title')}</h2>
      <ErrorMessage error={error} />
      {reminders && reminders.length === 0 && <p className="muted">{t('dashboard.reminders.none')}</p>}
      {reminders && reminders.length > 0 && (
        <table data-testid="reminders">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.reminders.person')}</th>
              <th scope="col">{t('dashboard.reminders.kind')}</th>
              <th scope="col">{t('dashboard.reminders.due')}</th>
              <th scope="col">{t('dashboard.reminders.channel')}</th>
              <th scope="col">{t('dashboard.reminders.status')}</th>
            </tr>
          </thead>
          <tbody>
            {reminders.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.person ?? t('dashboard.rsvps.unnamed')}</th>
                <td>{t(`dashboard.reminderKind.${r.kind}`, { defaultValue: r.kind })}</td>
                <td>{formatInZone(r.dueAt, timeZone, i18n.language)}</td>
                <td>
                  {(r.sentChannel ?? r.channel)
                    ? t(`dashboard.channel.${r.sentChannel ?? r.channel}`, { defaultValue: r.sentChannel ?? r.channel })
                    : '—'}
                </td>
                <td>
                  {/* One still to go that no channel can carry is not shown as merely pending. */}
                  <span className={`badge ${r.blocked ? 'bad' : STATUS_BADGE[r.status]}`}>
                    {t(`dashboard.reminderStatus.${r.blocked ? 'blocked' : r.status}`)}
                  </span>
                  {r.sentAt && <span className="muted"> {formatInZone(r.sentAt, timeZone, i18n.language)}</span>}
                  {reasonOf(r) && <div className="muted">{t('dashboard.reminders.reason', { reason: reasonOf(r) })}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total !== undefined && reminders && total > reminders.length && (
        <p className="muted">{t('dashboard.reminders.more', { count: total - reminders.length })}</p>
      )}
    </section>
  );
}

function Changes({ changes, error }: { changes?: EventChange[]; error: unknown }) {
  const { t, i18n } = useTranslation();
  const when = (c: EventChange['before']) =>
    c.startsAt && c.timeZone ? formatInZone(c.startsAt, c.timeZone, i18n.language) : (c.startsAt ?? '—');
  return (
    <section aria-labelledby="changes-title">
      <h2 id="changes-title">{t('dashboard.changes.title')}</h2>
      <ErrorMessage error={error} />
      {changes && changes.length === 0 && <p className="muted">{t('dashboard.changes.none')}</p>}
      {changes && changes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.changes.changedAt')}</th>
              <th scope="col">{t('dashboard.changes.before')}</th>
              <th scope="col">{t('dashboard.changes.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c, i) => (
              <tr key={`${c.changedAt}-${i}`}>
                <th scope="row">{formatDateTime(c.changedAt, i18n.language)}</th>
                <td>
                  {when(c.before)}
                  <div className="muted">{c.before.address}</div>
                </td>
                <td>
                  {when(c.after)}
                  <div className="muted">{c.after.address}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
