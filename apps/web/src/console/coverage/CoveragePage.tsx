/**
 * A campaign's coverage dashboard: the figures arrive on the live stream (no polling), and each
 * update also reloads the tables, chart and map that depend on them, at most once every
 * RELOAD_EVERY_MS so that a busy canvass does not flood the API.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, download } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime, formatNumber, formatPct } from './format';
import { useEventStream } from './stream';
import { CoverageSummary, MaterialCount } from './types';
import { ExportDialog } from './ExportDialog';
import { useApi } from './useApi';
import { FollowUps, OutNow, VolunteerTables } from './PeopleSections';
import { DoubtedClocks, HeldVisits } from './ReviewSections';
import { TurfSection } from './TurfSection';
import { VisitsChart } from './VisitsChart';
import { languageName, materialName } from '../materials/model';
import '../materials/materials.css';
import './dashboard.css';

const RELOAD_EVERY_MS = 1_500;

export function CoveragePage({ campaignId }: { campaignId: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const organizer = me?.role === 'organizer';
  const lang = i18n.language;
  const base = `/campaigns/${campaignId}/coverage`;

  const campaign = useApi<{ name: string; timeZone?: string }>(`/campaigns/${campaignId}`);
  const first = useApi<CoverageSummary>(base);
  const [live, setLive] = useState<CoverageSummary | null>(null);
  const [version, setVersion] = useState(0);
  const lastReload = useRef(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reloadSoon = useCallback(() => {
    const wait = lastReload.current + RELOAD_EVERY_MS - Date.now();
    if (wait <= 0) {
      lastReload.current = Date.now();
      setVersion((v) => v + 1);
    } else {
      trailing.current ??= setTimeout(() => {
        trailing.current = null;
        lastReload.current = Date.now();
        setVersion((v) => v + 1);
      }, wait);
    }
  }, []);
  useEffect(
    () => () => {
      if (trailing.current) clearTimeout(trailing.current);
    },
    [],
  );

  const streamState = useEventStream<CoverageSummary>(`${base}/stream`, (s) => {
    if (s.campaignId !== campaignId) return;
    setLive(s);
    reloadSoon();
  });
  const summary = live?.campaignId === campaignId ? live : first.data;

  // Closing a follow-up is no sync, so the stream does not announce it: the figures are read again here.
  const changedHere = useCallback(() => {
    setVersion((v) => v + 1);
    api<CoverageSummary>('GET', base).then(setLive, () => undefined);
  }, [base]);
  // A reviewed visit is counted (or not) by the worker's rollup, and the stream brings the figures
  // once it has run; read here at once, they could still be the old ones. The tables are read again.
  const reviewedHere = useCallback(() => setVersion((v) => v + 1), []);

  const [exportError, setExportError] = useState<unknown>(null);
  const exportCsv = (path: string, name: string) => {
    setExportError(null);
    download(path, name).catch(setExportError);
  };
  // Door-level data leaves only after the organizer gives their password again and a reason.
  const [confirmFollowUps, setConfirmFollowUps] = useState(false);

  return (
    <section className="dash" aria-labelledby="coverage-title">
      <p>
        <Link href="/">{t('dashboard.backToCampaigns')}</Link>
      </p>
      <div className="dash-dashboard-head">
        <h1 id="coverage-title">{campaign.data ? t('dashboard.titleOf', { name: campaign.data.name }) : t('dashboard.title')}</h1>
        <p role="status" className={`dash-live-state ${streamState}`} data-testid="live-state">
          {t(`dashboard.stream.${streamState}`)}
        </p>
      </div>
      {summary?.updatedAt && (
        <p className="muted">{t('dashboard.updatedAt', { time: formatDateTime(summary.updatedAt, lang, campaign.data?.timeZone) })}</p>
      )}
      <div className="row">
        <button type="button" onClick={() => exportCsv(`${base}/export.csv`, `coverage-${campaignId}.csv`)}>
          {t('dashboard.export.coverage')}
        </button>
        {organizer && (
          <button type="button" aria-haspopup="dialog" onClick={() => setConfirmFollowUps(true)}>
            {t('dashboard.export.followUps')}
          </button>
        )}
      </div>
      {confirmFollowUps && (
        <ExportDialog
          path={`/campaigns/${campaignId}/follow-ups.csv`}
          fileName={`follow-ups-${campaignId}.csv`}
          onClose={() => setConfirmFollowUps(false)}
        />
      )}
      <ErrorMessage error={exportError} />
      <ErrorMessage error={!summary ? first.error : null} />
      {!summary && !first.error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {summary && <Figures summary={summary} />}
      {summary && <RoutesAndMaterials summary={summary} campaignId={campaignId} version={version} />}
      <VisitsChart campaignId={campaignId} version={version} />
      <TurfSection campaignId={campaignId} version={version} organizer={organizer} />
      <FollowUps campaignId={campaignId} version={version} onChanged={changedHere} />
      <HeldVisits campaignId={campaignId} version={version} onReviewed={reviewedHere} />
      <DoubtedClocks campaignId={campaignId} version={version} />
      <OutNow campaignId={campaignId} version={version} />
      <VolunteerTables campaignId={campaignId} version={version} />
    </section>
  );
}

function Figures({ summary: s }: { summary: CoverageSummary }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const pct = (v: number) => t('dashboard.percent', { value: formatPct(v, i18n.language) });
  const items: [string, string, string, string?][] = [
    ['doorsInScope', t('dashboard.figures.doorsInScope'), n(s.doorsInScope)],
    ['attempted', t('dashboard.figures.attempted'), n(s.doorsAttempted), pct(s.coveragePct)],
    ['reached', t('dashboard.figures.reached'), n(s.doorsReached), pct(s.reachedPct)],
    [
      'withMaterials',
      t('dashboard.figures.withMaterials'),
      n(s.doorsWithMaterials),
      pct(s.doorsInScope > 0 ? Math.round((1000 * s.doorsWithMaterials) / s.doorsInScope) / 10 : 0),
    ],
    ['visits', t('dashboard.figures.visits'), n(s.visits)],
    ['doNotKnock', t('dashboard.figures.doNotKnock'), n(s.doNotKnock)],
    ['followUpsOpen', t('dashboard.figures.followUpsOpen'), n(s.followUps.open)],
    ['followUpsClosed', t('dashboard.figures.followUpsClosed'), n(s.followUps.closed)],
    ['outNow', t('dashboard.figures.outNow'), n(s.volunteersOutNow)],
    ['shiftsToday', t('dashboard.figures.shiftsToday'), n(s.shiftsToday)],
  ];
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{t('dashboard.figures.title')}</h2>
      {/* Polite: a screen reader hears the key figures change without being interrupted. */}
      <dl className="dash-figures" aria-live="polite">
        {items.map(([key, label, value, extra]) => (
          <div key={key} className="dash-figure" data-testid={`figure-${key}`}>
            <dt>{label}</dt>
            <dd>
              <span className="dash-figure-value" data-testid={`figure-${key}-value`}>
                {value}
              </span>
              {extra && <span className="dash-figure-extra"> ({extra})</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function RoutesAndMaterials({ summary: s, campaignId, version }: { summary: CoverageSummary; campaignId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const counts = useApi<MaterialCount[]>(`/campaigns/${campaignId}/material-counts`, version);
  const routes = Object.entries(s.routesByStatus).sort(([a], [b]) => a.localeCompare(b));
  // Every material the campaign hands out or that was taken or left, with what was left at doors
  // (from the live figures) and the stock on hand; grouped by the material's language.
  const left = new Map(s.materials.map((m) => [m.materialId, m.quantity]));
  const rows: (MaterialCount & { left: number })[] = (counts.data ?? []).map((c) => ({ ...c, left: left.get(c.materialId) ?? 0 }));
  for (const m of s.materials) {
    if (!rows.some((r) => r.materialId === m.materialId)) rows.push({ ...emptyCount(m), left: m.quantity });
  }
  rows.sort((a, b) => a.language.localeCompare(b.language) || materialName(a, lang).localeCompare(materialName(b, lang), lang));
  const low = rows.filter((r) => r.lowStock && !r.retired);
  return (
    <>
      {low.length > 0 && (
        <section className="low-stock-alert" aria-labelledby="low-stock-title" data-testid="low-stock">
          <h2 id="low-stock-title">
            <span aria-hidden="true">⚠ </span>
            {t('materials.dashboard.lowTitle')}
          </h2>
          <ul>
            {low.map((m) => (
              <li key={m.materialId}>
                {t('materials.dashboard.lowItem', {
                  name: materialName(m, lang),
                  language: languageName(m.language, lang),
                  stock: formatNumber(m.stock, lang),
                  threshold: formatNumber(m.lowStockThreshold ?? 0, lang),
                })}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="dash-two-columns">
        <section aria-labelledby="routes-title">
          <h2 id="routes-title">{t('dashboard.routes.title')}</h2>
          {routes.length === 0 ? (
            <p className="muted">{t('dashboard.routes.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.routes.status')}</th>
                  <th scope="col">{t('dashboard.routes.count')}</th>
                </tr>
              </thead>
              <tbody>
                {routes.map(([status, count]) => (
                  <tr key={status}>
                    <th scope="row">{t(`dashboard.routeStatus.${status}`, { defaultValue: status })}</th>
                    <td>{formatNumber(count, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      {/* Full width: six columns do not fit in half of the page. */}
      <section aria-labelledby="materials-title">
        <h2 id="materials-title">{t('materials.dashboard.title')}</h2>
        {rows.length === 0 ? (
          <p className="muted">{t('dashboard.materials.none')}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="materials-by-language">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.materials.name')}</th>
                  <th scope="col">{t('dashboard.materials.kind')}</th>
                  <th scope="col">{t('dashboard.materials.language')}</th>
                  <th scope="col">{t('dashboard.materials.left')}</th>
                  <th scope="col">{t('dashboard.materials.outNow')}</th>
                  <th scope="col">{t('materials.dashboard.stock')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.materialId} data-testid={`material-row-${m.materialId}`}>
                    <th scope="row">{materialName(m, lang)}</th>
                    <td>{t(`dashboard.materialKind.${m.kind}`, { defaultValue: m.kind })}</td>
                    <td>{languageName(m.language, lang)}</td>
                    <td>{formatNumber(m.left, lang)}</td>
                    <td>{counts.data ? formatNumber(m.outNow, lang) : '—'}</td>
                    <td data-testid="material-stock">
                      {counts.data ? formatNumber(m.stock, lang) : '—'}
                      {m.lowStock && !m.retired && (
                        <>
                          {' '}
                          <span className="badge warn">
                            <span aria-hidden="true">⚠ </span>
                            {t('materials.dashboard.lowBadge')}
                          </span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** A material the live figures name before its counts have loaded. */
function emptyCount(m: CoverageSummary['materials'][number]): MaterialCount {
  return {
    ...m,
    names: {},
    taken: 0,
    returned: 0,
    leftAtDoors: m.quantity,
    outNow: 0,
    stock: 0,
    lowStockThreshold: null,
    lowStock: false,
    retired: false,
  };
}
