/**
 * Visits that need a coordinator's eyes: those held for review (made on a route taken off the
 * volunteer while their phone was offline), to accept or discard, and those whose phone clock is
 * in doubt (they count, but their times may be wrong), to read.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime, formatDoor, formatNumber } from './format';
import { Visit } from './types';
import { Loaded, Page, useApi } from './useApi';
import { turfLabel } from '../../i18n';

const PAGE_SIZE = 100;

/** A page of the campaign's visits (`filter` is the query string), with the page's offset to move with the pager. */
function useVisitPage(
  campaignId: string,
  filter: string,
  version: number,
): Loaded<Page<Visit>> & { offset: number; setOffset: (o: number) => void } {
  const [offset, setOffset] = useState(0);
  const page = useApi<Page<Visit>>(`/campaigns/${campaignId}/visits?${filter}&limit=${PAGE_SIZE}&offset=${offset}`, version);
  // Reviews shrink the list: a page left empty goes back to the last page that still has visits
  // (set while rendering, as React allows for state that follows what was loaded).
  const lastPage = page.data ? Math.max(0, Math.floor((page.data.total - 1) / PAGE_SIZE) * PAGE_SIZE) : 0;
  if (page.data && page.data.items.length === 0 && offset > lastPage) setOffset(lastPage);
  return { ...page, offset, setOffset };
}

/** Previous and next, as the console's other paged lists have them; nothing when everything fits on one page. */
function Pager({ label, offset, total, onChange }: { label: string; offset: number; total: number; onChange: (offset: number) => void }) {
  const { t, i18n } = useTranslation();
  if (total <= PAGE_SIZE) return null;
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <nav className="row pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - PAGE_SIZE))}>
        {t('common.previous')}
      </button>
      <span>{t('console.pager.range', { from: n(offset + 1), to: n(Math.min(offset + PAGE_SIZE, total)), total: n(total) })}</span>
      <button type="button" disabled={offset + PAGE_SIZE >= total} onClick={() => onChange(offset + PAGE_SIZE)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/** The columns both tables share: the door (the row's header), route, volunteer, outcome, and the two times. */
function VisitHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <th scope="col">{t('dashboard.visit.door')}</th>
      <th scope="col">{t('dashboard.visit.route')}</th>
      <th scope="col">{t('dashboard.visit.volunteer')}</th>
      <th scope="col">{t('dashboard.visit.outcome')}</th>
      <th scope="col">{t('dashboard.visit.recordedAt')}</th>
      <th scope="col">{t('dashboard.visit.receivedAt')}</th>
    </>
  );
}

function VisitCells({ visit: v }: { visit: Visit }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <th scope="row">{formatDoor(v)}</th>
      <td>{v.turfName ? turfLabel(v.turfName) : '—'}</td>
      <td>{v.volunteerName}</td>
      <td>{t(`dashboard.outcome.${v.outcome}`, { defaultValue: v.outcome })}</td>
      <td>{formatDateTime(v.recordedAt, i18n.language)}</td>
      <td>{formatDateTime(v.receivedAt, i18n.language)}</td>
    </>
  );
}

/** Quarantined visits, latest first, each with buttons to accept it (it then counts) or discard it. */
export function HeldVisits({ campaignId, version, onReviewed }: { campaignId: string; version: number; onReviewed: () => void }) {
  const { t } = useTranslation();
  const [reviewedHere, setReviewedHere] = useState(0);
  const held = useVisitPage(campaignId, 'status=quarantined', version + reviewedHere);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | null>(null);
  // Reviewed visits leave the table at once, not when the list comes back (their buttons would answer 409).
  const [reviewed, setReviewed] = useState<ReadonlySet<string>>(new Set());
  const heading = useRef<HTMLHeadingElement>(null);
  const refocus = useRef(false);

  // The reviewed row goes away with its buttons: the keyboard carries on from the section's heading.
  useEffect(() => {
    if (!refocus.current || !held.data) return;
    refocus.current = false;
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, [held.data]);

  const review = async (v: Visit, decision: 'accept' | 'discard') => {
    const door = formatDoor(v);
    if (decision === 'discard' && !window.confirm(t('dashboard.review.confirmDiscard', { door }))) return;
    setBusy(v.id);
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/visits/${v.id}/review`, { body: { decision } });
      setNotice({ text: t(decision === 'accept' ? 'dashboard.review.acceptedOne' : 'dashboard.review.discardedOne', { door }), ok: true });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) {
        setError(err);
        return;
      }
      // Someone else decided first: say so, and show the list as it is now.
      setNotice({ text: t('dashboard.review.alreadyReviewed', { door }), ok: false });
    } finally {
      setBusy(null);
    }
    refocus.current = true;
    setReviewed((ids) => new Set(ids).add(v.id));
    setReviewedHere((n) => n + 1);
    onReviewed();
  };

  const items = (held.data?.items ?? []).filter((v) => !reviewed.has(v.id));
  return (
    <section aria-labelledby="held-title">
      <h2 id="held-title" ref={heading} tabIndex={-1}>
        {t('dashboard.review.title')}
      </h2>
      <p className="muted">{t('dashboard.review.intro')}</p>
      <ErrorMessage error={held.error ?? error} />
      <p role="status" className={notice?.ok === false ? 'error' : 'success'}>
        {notice?.text}
      </p>
      {!held.data && !held.error && <p className="muted">{t('common.loading')}</p>}
      {held.data && held.data.total === 0 && <p className="muted">{t('dashboard.review.none')}</p>}
      {items.length > 0 && (
        <table data-testid="held-visits">
          <caption className="visually-hidden">{t('dashboard.review.title')}</caption>
          <thead>
            <tr>
              <VisitHeaders />
              <th scope="col">{t('dashboard.review.reason')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('dashboard.review.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <VisitCells visit={v} />
                <td>{v.quarantineReason ? t(`dashboard.review.reasons.${v.quarantineReason}`) : '—'}</td>
                <td>
                  <div className="row">
                    <button
                      type="button"
                      disabled={busy === v.id}
                      onClick={() => void review(v, 'accept')}
                      aria-label={t('dashboard.review.acceptOne', { door: formatDoor(v) })}
                    >
                      {t('dashboard.review.accept')}
                    </button>
                    <button
                      type="button"
                      disabled={busy === v.id}
                      onClick={() => void review(v, 'discard')}
                      aria-label={t('dashboard.review.discardOne', { door: formatDoor(v) })}
                    >
                      {t('dashboard.review.discard')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {held.data && <Pager label={t('dashboard.review.pages')} offset={held.offset} total={held.data.total} onChange={held.setOffset} />}
    </section>
  );
}

/** Visits whose phone clock is doubted (ahead of the server, or earlier than the assignment), latest first, to read. */
export function DoubtedClocks({ campaignId, version }: { campaignId: string; version: number }) {
  const { t } = useTranslation();
  const flagged = useVisitPage(campaignId, 'flagged=true', version);
  const items = flagged.data?.items ?? [];
  return (
    <section aria-labelledby="clocks-title">
      <h2 id="clocks-title">{t('dashboard.clocks.title')}</h2>
      <p className="muted">{t('dashboard.clocks.intro')}</p>
      <ErrorMessage error={flagged.error} />
      {!flagged.data && !flagged.error && <p className="muted">{t('common.loading')}</p>}
      {flagged.data && flagged.data.total === 0 && <p className="muted">{t('dashboard.clocks.none')}</p>}
      {items.length > 0 && (
        <table data-testid="doubted-clocks">
          <caption className="visually-hidden">{t('dashboard.clocks.title')}</caption>
          <thead>
            <tr>
              <VisitHeaders />
              <th scope="col">{t('dashboard.clocks.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <VisitCells visit={v} />
                <td>
                  {v.clockFlag ? t(`dashboard.clocks.reasons.${v.clockFlag}`) : '—'}
                  {/* A visit held for review or discarded does not count (yet): said next to the reason. */}
                  {v.status !== 'accepted' && (
                    <>
                      {' '}
                      <span className={v.status === 'quarantined' ? 'badge warn' : 'badge'}>
                        {t(`dashboard.clocks.status.${v.status}`)}
                      </span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {flagged.data && (
        <Pager label={t('dashboard.clocks.pages')} offset={flagged.offset} total={flagged.data.total} onChange={flagged.setOffset} />
      )}
    </section>
  );
}
