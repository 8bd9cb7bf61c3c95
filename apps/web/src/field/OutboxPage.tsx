import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { apiErrorText } from '../components/ErrorMessage';
import { OutboxEntry, OutboxState } from './db';
import { describeEntry, formatTime } from './format';
import { discard, retry, syncNow, useField, wipePhone } from './store';

const STATES: OutboxState[] = ['pending', 'rejected', 'quarantined'];

function when(e: OutboxEntry): string {
  const it = e.item;
  return it.kind === 'check_in' ? it.startedAt : it.kind === 'check_out' ? it.endedAt : it.recordedAt;
}

/** What is still on the phone, why a record was refused, and wiping the phone. */
export function OutboxPage() {
  const { t, i18n } = useTranslation();
  const s = useField();
  return (
    <section>
      <h1>{t('field.outbox.title')}</h1>
      <p>{t('field.outbox.explain')}</p>
      <div className="row">
        <button type="button" className="primary" disabled={!s.online || s.syncing} onClick={() => void syncNow()}>
          {t('field.outbox.sendNow')}
        </button>
        <span className="muted">
          {s.lastSyncAt ? t('field.outbox.lastSync', { time: formatTime(s.lastSyncAt, i18n.language) }) : t('field.outbox.neverSynced')}
        </span>
      </div>
      {!s.online && <p className="notice">{t('field.outbox.offline')}</p>}
      {s.syncError && (
        <p className="error" role="alert">
          {t('field.outbox.syncError', { message: apiErrorText(t, s.syncError) })}
        </p>
      )}
      {STATES.map((state) => {
        const entries = s.outbox.filter((e) => e.state === state);
        return (
          <div key={state}>
            <h2>
              {t(`field.outbox.state_${state}`)} ({entries.length})
            </h2>
            {entries.length === 0 ? (
              <p className="muted">{t('field.outbox.empty')}</p>
            ) : (
              <ul className="plain-list">
                {entries.map((e) => (
                  <li key={e.id} className="card" data-testid="outbox-entry">
                    <p>
                      <strong>{describeEntry(t, e, s.routes)}</strong>
                    </p>
                    <p className="muted">{formatTime(when(e), i18n.language)}</p>
                    {state === 'rejected' && (
                      <>
                        <p className="error">
                          {t('field.outbox.reason', {
                            reason: t(`field.rejections.${e.code ?? 'INVALID'}`, { defaultValue: e.message ?? '' }),
                          })}
                        </p>
                        <div className="row">
                          <button type="button" onClick={() => void retry(e.id)}>
                            {t('field.outbox.retry')}
                          </button>
                          <button type="button" className="danger" onClick={() => void discard(e.id)}>
                            {t('field.outbox.discard')}
                          </button>
                        </div>
                      </>
                    )}
                    {state === 'quarantined' && <p>{t('field.outbox.heldExplain')}</p>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      <Wipe waiting={s.outbox.filter((e) => e.state === 'pending').length} />
    </section>
  );
}

/** Clears everything this phone holds for Porchlight, for a phone that is lent, lost or taken. */
function Wipe({ waiting }: { waiting: number }) {
  const { t } = useTranslation();
  const { signOut } = useAuth();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const wipe = async () => {
    setBusy(true);
    await signOut();
    await wipePhone();
    window.location.replace('/login');
  };
  return (
    <div className="wipe card">
      <h2>{t('field.wipe.title')}</h2>
      <p>{t('field.wipe.explain')}</p>
      {!asking ? (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          {t('field.wipe.button')}
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby="wipe-confirm" className="stack">
          <p id="wipe-confirm">
            <strong>{t('field.wipe.confirm')}</strong>
          </p>
          {waiting > 0 && <p className="error">{t('field.wipe.unsent', { count: waiting })}</p>}
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void wipe()}>
              {t('field.wipe.yes')}
            </button>
            <button type="button" onClick={() => setAsking(false)} autoFocus>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
