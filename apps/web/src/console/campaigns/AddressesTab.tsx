import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api/client';
import { apiErrorText, ErrorMessage } from '../../components/ErrorMessage';
import { AddressImport, Campaign, Page, Rejection, useLoad } from './model';

const POLL_MS = 1000;
const SHOWN_REJECTIONS = 100;

/** The API accepts plain file names only; anything else becomes "_" so the upload is not refused for its name. */
const safeFileName = (name: string) => name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 255) || 'addresses';

/** GeoJSON files, also with one feature per line (RFC 8142 text sequences, newline-delimited GeoJSON). */
const GEOJSON_ENDINGS = ['.geojson', '.json', '.geojsons', '.geojsonseq', '.geojsonl', '.geojsonld', '.ndjson', '.jsonl', '.jsonseq'];

function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv';
  if (GEOJSON_ENDINGS.some((e) => name.endsWith(e)) || file.type === 'application/geo+json' || file.type === 'application/geo+json-seq')
    return 'application/geo+json';
  return null;
}

/**
 * Addresses come from an OpenAddresses CSV or a GeoJSON file. The import runs in the background: the
 * page asks for its progress every second and then shows the report, with every refused row.
 */
export function AddressesTab({ campaign, onImported }: { campaign: Campaign; onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [wrongType, setWrongType] = useState(false);
  const [current, setCurrent] = useState<AddressImport | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // The latest import, so its report is still there when the organizer comes back later.
  const loadLatest = useCallback(
    (signal: AbortSignal) => api<Page<AddressImport>>('GET', `/campaigns/${campaign.id}/imports?limit=1`, { signal }),
    [campaign.id],
  );
  const latest = useLoad(loadLatest);
  const shown = current ?? latest.data?.items[0] ?? null;
  const running = shown !== null && (shown.status === 'queued' || shown.status === 'running');

  useEffect(() => {
    if (!shown || !running) return;
    const id = shown.id;
    const timer = setTimeout(() => {
      api<AddressImport>('GET', `/imports/${id}`).then(
        (next) => {
          setCurrent(next);
          if (next.status === 'completed') onImported();
        },
        (err: unknown) => setError(err),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [shown, running, onImported]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const type = contentTypeOf(file);
    setWrongType(!type);
    if (!type) return;
    setBusy(true);
    setError(null);
    try {
      const started = await api<AddressImport>(
        'POST',
        `/campaigns/${campaign.id}/imports?fileName=${encodeURIComponent(safeFileName(file.name))}`,
        { file: { body: file, type } },
      );
      setCurrent(started);
      setFile(null);
      if (input.current) input.current.value = '';
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack">
      <form className="card stack console-form" onSubmit={(e) => void submit(e)} aria-labelledby="import-title">
        <h2 id="import-title">{t('console.import.title')}</h2>
        <p className="muted">{t('console.import.help')}</p>
        <label>
          {t('console.import.file')}
          <input
            ref={input}
            type="file"
            accept={[...GEOJSON_ENDINGS, '.csv', 'text/csv', 'application/geo+json', 'application/geo+json-seq'].join(',')}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        {wrongType ? (
          <p className="error" role="alert">
            {t('console.import.wrongType')}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        <div>
          <button type="submit" className="primary" disabled={!file || busy || running}>
            {t('console.import.upload')}
          </button>
        </div>
      </form>
      {shown && <ImportStatusView imp={shown} />}
    </div>
  );
}

function ImportStatusView({ imp }: { imp: AddressImport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  const done = imp.status === 'completed';
  const heading = useRef<HTMLHeadingElement>(null);
  const finished = done || imp.status === 'failed';

  // When the report appears, move focus to it so that keyboard and screen-reader users find it.
  useEffect(() => {
    if (finished && imp.finishedAt && Date.now() - new Date(imp.finishedAt).getTime() < 60_000) heading.current?.focus();
  }, [finished, imp.finishedAt]);

  return (
    <section className="card stack" aria-labelledby="import-status-title" data-testid="import-status">
      <h2 id="import-status-title" ref={heading} tabIndex={-1}>
        {t('console.import.statusTitle', { file: imp.fileName })}
      </h2>
      <p role="status">
        <strong>{t(`console.import.status.${imp.status}`)}</strong>
        {' · '}
        {imp.progress.rowsTotal !== null
          ? t('console.import.progress', {
              read: n(imp.progress.rowsRead),
              total: n(imp.progress.rowsTotal),
              percent: imp.progress.percent,
            })
          : t('console.import.progressUnknown', { read: n(imp.progress.rowsRead) })}
      </p>
      <progress max={100} value={imp.progress.percent} aria-label={t('console.import.progressLabel')}>
        {imp.progress.percent} %
      </progress>
      {imp.error && (
        <p className="error" role="alert">
          {t('console.import.failed', { message: apiErrorText(t, imp.error) })}
        </p>
      )}
      {done && <ImportReport imp={imp} />}
    </section>
  );
}

function ImportReport({ imp }: { imp: AddressImport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  const [error, setError] = useState<unknown>(null);
  const loadRejections = useCallback(
    (signal: AbortSignal) =>
      imp.report.rowsRejected > 0
        ? api<Page<Rejection>>('GET', `/imports/${imp.id}/rejections?limit=${SHOWN_REJECTIONS}`, { signal })
        : Promise.resolve({ items: [], total: 0, limit: SHOWN_REJECTIONS, offset: 0 }),
    [imp.id, imp.report.rowsRejected],
  );
  const rejections = useLoad(loadRejections);

  return (
    <div className="stack" data-testid="import-report">
      <h3>{t('console.import.report')}</h3>
      <dl className="facts">
        <div>
          <dt>{t('console.import.imported')}</dt>
          <dd data-testid="rows-imported">{n(imp.report.rowsImported)}</dd>
        </div>
        <div>
          <dt>{t('console.import.duplicates')}</dt>
          <dd data-testid="duplicates-merged">{n(imp.report.duplicatesMerged)}</dd>
        </div>
        <div>
          <dt>{t('console.import.rejected')}</dt>
          <dd data-testid="rows-rejected">{n(imp.report.rowsRejected)}</dd>
        </div>
        <div>
          <dt>{t('console.import.keptApart')}</dt>
          <dd data-testid="addresses-kept-apart">{n(imp.report.addressesKeptApart)}</dd>
        </div>
      </dl>
      <p className="muted">{t('console.import.mergeRule', { metres: n(imp.report.mergeWithinMetres) })}</p>
      {imp.report.addressesKeptApart > 0 && <KeptApartList imp={imp} />}
      {imp.report.rowsRejected > 0 && (
        <>
          <div>
            <button
              type="button"
              onClick={() => {
                setError(null);
                download(`/imports/${imp.id}/rejections.csv`, `import-${imp.id.slice(0, 8)}-rejected-rows.csv`).catch(setError);
              }}
            >
              {t('console.import.downloadRejected')}
            </button>
          </div>
          <ErrorMessage error={error ?? rejections.error} />
          {rejections.data && (
            <table>
              <caption>
                {rejections.data.total > rejections.data.items.length
                  ? t('console.import.rejectedShown', { shown: n(rejections.data.items.length), total: n(rejections.data.total) })
                  : t('console.import.rejectedRows')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.import.line')}</th>
                  <th scope="col">{t('console.import.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rejections.data.items.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.code ? t(`console.import.rejectionReasons.${r.code}`, { ...r.params, defaultValue: r.reason }) : r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

/** The addresses that the campaign has at places too far apart to be one door, for the organizer to check. */
function KeptApartList({ imp }: { imp: AddressImport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  const distance = (metres: number) =>
    metres >= 1000
      ? new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(metres / 1000)
      : new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'meter', maximumFractionDigits: 0 }).format(metres);
  const more = imp.report.addressesKeptApart - imp.report.keptApart.length;
  return (
    <div className="stack" data-testid="kept-apart">
      <h4>{t('console.import.keptApart')}</h4>
      <p className="muted">{t('console.import.keptApartHelp', { metres: n(imp.report.mergeWithinMetres) })}</p>
      <ul>
        {imp.report.keptApart.map((a) => (
          <li key={`${a.street}|${a.number}|${a.unit ?? ''}`}>
            {t('console.import.keptApartItem', {
              address: [`${a.number} ${a.street}`, a.unit].filter(Boolean).join(', '),
              places: n(a.places),
              distance: distance(a.farthestMetres),
            })}
          </li>
        ))}
      </ul>
      {more > 0 && <p>{t('console.import.keptApartMore', { count: more })}</p>}
    </div>
  );
}
