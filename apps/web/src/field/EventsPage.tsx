import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { getMeta, setMeta } from './db';
import { formatTimeRange } from './format';
import { useField } from './store';

const ANSWERS = ['going', 'maybe', 'not_going'] as const;
type Answer = (typeof ANSWERS)[number];

interface EventItem {
  id: string;
  title: Record<string, string>;
  description?: Record<string, string>;
  address: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  status: 'scheduled' | 'cancelled';
  myRsvp?: { response: Answer; status: 'confirmed' | 'waitlisted' | 'cancelled' } | null;
}

/**
 * The organization's events and the volunteer's answer. Online only: answers go straight to the
 * server, which says how the caller answered; the phone keeps the last answers it saw to show offline.
 */
export function EventsPage() {
  const { t, i18n } = useTranslation();
  const { online } = useField();
  const [events, setEvents] = useState<EventItem[] | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [waitlisted, setWaitlisted] = useState<Set<string>>(() => new Set());
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  useEffect(() => {
    void getMeta<Record<string, Answer>>('rsvps').then((a) => a && setAnswers(a));
  }, []);
  useEffect(() => {
    if (!online) return;
    api<{ items: EventItem[] }>('GET', '/events?limit=50').then((p) => {
      setEvents(p.items);
      const mine = Object.fromEntries(
        p.items.flatMap((e) => (e.myRsvp ? [[e.id, e.myRsvp.status === 'cancelled' ? 'not_going' : e.myRsvp.response] as const] : [])),
      );
      setAnswers(mine);
      setWaitlisted(new Set(p.items.filter((e) => e.myRsvp?.status === 'waitlisted').map((e) => e.id)));
      void setMeta('rsvps', mine);
    }, setError);
  }, [online]);

  const answer = async (e: EventItem, a: Answer) => {
    setError(null);
    try {
      const rsvp = await api<{ status: 'confirmed' | 'waitlisted' | 'cancelled' }>('PUT', `/events/${e.id}/rsvp`, {
        body: { response: a },
      });
      setWaitlisted((cur) => {
        const next = new Set(cur);
        if (rsvp.status === 'waitlisted') next.add(e.id);
        else next.delete(e.id);
        return next;
      });
      const next = { ...answers, [e.id]: a };
      setAnswers(next);
      await setMeta('rsvps', next);
      setSaved(t('field.events.saved', { answer: t(`field.events.${a}`), title: title(e) }));
    } catch (err) {
      setError(err);
    }
  };
  /** A text in the reader's language, else English, else whichever the organizer wrote. */
  const localized = (text: Record<string, string> | undefined) =>
    text ? (text[i18n.language] ?? text.en ?? Object.values(text)[0] ?? '') : '';
  const title = (e: EventItem) => localized(e.title);

  return (
    <section>
      <h1>{t('field.events.title')}</h1>
      {!online && <p className="notice">{t('field.events.offline')}</p>}
      <p role="status">{saved}</p>
      <ErrorMessage error={error} />
      {online && events === null && !error && <p>{t('common.loading')}</p>}
      {events?.length === 0 && <p>{t('field.events.none')}</p>}
      <ul className="plain-list">
        {(events ?? []).map((e) => (
          <li key={e.id} className="card" data-testid="event">
            <h2>{title(e)}</h2>
            <p data-testid="event-when">{formatTimeRange(e.startsAt, e.endsAt, i18n.language, e.timeZone)}</p>
            <p>{e.address}</p>
            {localized(e.description) && (
              <p className="event-description" data-testid="event-description">
                {localized(e.description)}
              </p>
            )}
            {e.status === 'cancelled' ? (
              <p className="badge bad">{t('field.events.cancelled')}</p>
            ) : (
              <div role="group" aria-label={t('field.events.yourAnswer', { title: title(e) })} className="row">
                {ANSWERS.map((a) => (
                  <button key={a} type="button" aria-pressed={answers[e.id] === a} disabled={!online} onClick={() => void answer(e, a)}>
                    {answers[e.id] === a ? '✓ ' : ''}
                    {t(`field.events.${a}`)}
                  </button>
                ))}
              </div>
            )}
            {e.status !== 'cancelled' && waitlisted.has(e.id) && <p className="notice">{t('field.events.waitlisted')}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
