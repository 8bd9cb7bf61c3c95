import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'wouter';
import { api, ApiError } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { EventDetails, PublicEvent } from './PublicEvent';

type Status = 'confirmed' | 'waitlisted' | 'cancelled';

interface Rsvp {
  id: string;
  status: Status;
  event: PublicEvent;
}

const BADGE: Record<Status, string> = { confirmed: 'ok', waitlisted: 'warn', cancelled: 'bad' };

/**
 * The page every message links to (`/rsvp/<id>/<token>`): the person's RSVP, their calendar file,
 * and a way to cancel without an account. The token proves the link came from a message.
 */
export function RsvpPage() {
  const { t } = useTranslation();
  const { id, token } = useParams<{ id: string; token: string }>();
  const base = `/public/rsvps/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
  const [rsvp, setRsvp] = useState<Rsvp | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [justCancelled, setJustCancelled] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    api<Rsvp>('GET', base).then(setRsvp, setLoadError);
  }, [base]);

  // Keyboard and screen reader users land on the question they have just opened.
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);

  if (loadError) {
    return (
      <section className="narrow">
        <h1>{t('public.rsvp.title')}</h1>
        {loadError instanceof ApiError && loadError.status === 404 ? (
          <p className="error" role="alert" data-testid="invalid-link">
            {t('public.rsvp.invalidLink')}
          </p>
        ) : (
          <ErrorMessage error={loadError} />
        )}
      </section>
    );
  }
  if (!rsvp) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await api<{ id: string; status: Status }>('POST', `${base}/cancel`);
      setRsvp({ ...rsvp, status: done.status });
      setJustCancelled(true);
      setConfirming(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const keep = () => {
    setConfirming(false);
    // Give focus back to the button that opened the question.
    setTimeout(() => cancelButton.current?.focus(), 0);
  };

  return (
    <section className="narrow">
      <p className="muted">{t('public.rsvp.title')}</p>
      <EventDetails event={rsvp.event} />
      {rsvp.event.status === 'cancelled' && (
        <p className="error" role="status">
          {t('public.rsvp.eventCancelled')}
        </p>
      )}
      <p>
        <strong>{t('public.rsvp.status')}:</strong>{' '}
        <span className={`badge ${BADGE[rsvp.status]}`} data-testid="rsvp-status" data-status={rsvp.status}>
          {t(`public.rsvp.statuses.${rsvp.status}`)}
        </span>
      </p>
      {justCancelled && (
        <p className="success" role="status" data-testid="rsvp-cancelled">
          {t('public.rsvp.cancelled')}
        </p>
      )}
      {rsvp.status !== 'cancelled' && rsvp.event.status !== 'cancelled' && (
        <div className="stack">
          <a href={`${base}/calendar.ics`} download>
            {t('public.done.calendar')}
          </a>
          {confirming ? (
            <div className="card stack" role="group" aria-labelledby="cancel-question">
              <p id="cancel-question">{t('public.rsvp.confirmQuestion')}</p>
              <div className="row">
                <button ref={yes} type="button" className="danger" disabled={busy} onClick={() => void cancel()}>
                  {busy ? t('public.rsvp.cancelling') : t('public.rsvp.confirmYes')}
                </button>
                <button type="button" disabled={busy} onClick={keep}>
                  {t('public.rsvp.confirmNo')}
                </button>
              </div>
            </div>
          ) : (
            <button ref={cancelButton} type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('public.rsvp.cancel')}
            </button>
          )}
          <ErrorMessage error={error} />
        </div>
      )}
    </section>
  );
}
