import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime, formatDoor, formatNumber } from './format';
import { FollowUp, LeaderRow, Shift, VolunteerRow } from './types';
import { Page, useApi } from './useApi';
import { turfLabel } from '../../i18n';

/** Households that asked for legal follow-up, oldest first, each with a button to close it. */
export function FollowUps({ campaignId, version, onChanged }: { campaignId: string; version: number; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [closedHere, setClosedHere] = useState(0);
  const open = useApi<Page<FollowUp>>(`/campaigns/${campaignId}/follow-ups?status=open&limit=100`, version + closedHere);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const close = async (f: FollowUp) => {
    setBusy(f.id);
    setError(null);
    try {
      await api('POST', `/follow-ups/${f.id}/close`);
      setDone(t('dashboard.followUps.closedOne', { door: formatDoor(f) }));
      setClosedHere((n) => n + 1);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const items = open.data?.items ?? [];
  return (
    <section aria-labelledby="followups-title">
      <h2 id="followups-title">{t('dashboard.followUps.title')}</h2>
      <ErrorMessage error={open.error ?? error} />
      <p role="status" className="success">
        {done}
      </p>
      {open.data && items.length === 0 && <p className="muted">{t('dashboard.followUps.none')}</p>}
      {items.length > 0 && (
        <table>
          <caption className="visually-hidden">{t('dashboard.followUps.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.followUps.door')}</th>
              <th scope="col">{t('dashboard.followUps.turf')}</th>
              <th scope="col">{t('dashboard.followUps.asked')}</th>
              <th scope="col">{t('dashboard.followUps.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('dashboard.followUps.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id}>
                <th scope="row">{formatDoor(f)}</th>
                <td>{f.turfName ? turfLabel(f.turfName) : '—'}</td>
                <td>{formatDateTime(f.createdAt, i18n.language)}</td>
                <td>
                  <span className="badge warn">{t(`dashboard.followUps.${f.status}`)}</span>
                </td>
                <td>
                  <button
                    type="button"
                    disabled={busy === f.id}
                    onClick={() => void close(f)}
                    aria-label={t('dashboard.followUps.closeOne', { door: formatDoor(f) })}
                  >
                    {t('dashboard.followUps.close')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open.data && open.data.total > items.length && (
        <p className="muted">{t('dashboard.followUps.more', { count: open.data.total - items.length })}</p>
      )}
    </section>
  );
}

/** Volunteers whose shift is open now. */
export function OutNow({ campaignId, version }: { campaignId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const shifts = useApi<Page<Shift>>(`/campaigns/${campaignId}/shifts?open=true&limit=100`, version);
  const items = shifts.data?.items ?? [];
  return (
    <section aria-labelledby="outnow-title">
      <h2 id="outnow-title">{t('dashboard.outNow.title')}</h2>
      <ErrorMessage error={shifts.error} />
      {shifts.data && items.length === 0 && <p className="muted">{t('dashboard.outNow.none')}</p>}
      {items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.outNow.volunteer')}</th>
              <th scope="col">{t('dashboard.outNow.partner')}</th>
              <th scope="col">{t('dashboard.outNow.route')}</th>
              <th scope="col">{t('dashboard.outNow.since')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.volunteerName}</th>
                <td>{s.partnerName ?? '—'}</td>
                <td>{s.turfName ? turfLabel(s.turfName) : '—'}</td>
                <td>{formatDateTime(s.startedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Each volunteer's figures, and the leaderboard only when the organization turned it on. */
export function VolunteerTables({ campaignId, version }: { campaignId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const volunteers = useApi<VolunteerRow[]>(`/campaigns/${campaignId}/coverage/volunteers`, version);
  // Leaderboards are off unless the organization turned them on: ask only then, not on every live update.
  const org = useApi<{ leaderboardsEnabled: boolean }>('/organizations/current');
  const leaders = useApi<LeaderRow[]>(org.data?.leaderboardsEnabled ? `/campaigns/${campaignId}/coverage/leaderboard` : null, version);
  const n = (v: number) => formatNumber(v, i18n.language);
  // A 403 means they were turned off since the page was opened: nothing to show, nothing wrong.
  const leaderError = leaders.error instanceof ApiError && leaders.error.status === 403 ? null : leaders.error;
  return (
    <>
      <section aria-labelledby="volunteers-title">
        <h2 id="volunteers-title">{t('dashboard.volunteers.title')}</h2>
        <ErrorMessage error={volunteers.error} />
        {volunteers.data && volunteers.data.length === 0 && <p className="muted">{t('dashboard.volunteers.none')}</p>}
        {volunteers.data && volunteers.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.volunteers.name')}</th>
                <th scope="col">{t('dashboard.volunteers.visits')}</th>
                <th scope="col">{t('dashboard.volunteers.attempted')}</th>
                <th scope="col">{t('dashboard.volunteers.reached')}</th>
                <th scope="col">{t('dashboard.volunteers.materials')}</th>
              </tr>
            </thead>
            <tbody>
              {volunteers.data.map((v) => (
                <tr key={v.userId}>
                  <th scope="row">{v.name}</th>
                  <td>{n(v.visits)}</td>
                  <td>{n(v.doorsAttempted)}</td>
                  <td>{n(v.doorsReached)}</td>
                  <td>{n(v.materialsLeft)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ErrorMessage error={leaderError} />
      {leaders.data && leaders.data.length > 0 && (
        <section aria-labelledby="leaders-title">
          <h2 id="leaders-title">{t('dashboard.leaderboard.title')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.leaderboard.rank')}</th>
                <th scope="col">{t('dashboard.leaderboard.name')}</th>
                <th scope="col">{t('dashboard.leaderboard.attempted')}</th>
              </tr>
            </thead>
            <tbody>
              {leaders.data.map((l) => (
                <tr key={l.rank}>
                  <td>{l.rank}</td>
                  <th scope="row">{l.name}</th>
                  <td>{n(l.doorsAttempted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
