import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Feature, GeoMap, MapLayer } from '../../map/GeoMap';
import { formatNumber, formatPct } from './format';
import { AreaFigures, Collection, NeighbourhoodRow, TurfRow } from './types';
import { useApi } from './useApi';
import { turfLabel } from '../../i18n';

/** Coverage bands: the colour repeats what the label on each turf already says in numbers. */
const BANDS: { min: number; colour: string; key: string }[] = [
  { min: 75, colour: '#1a7f37', key: 'band75' },
  { min: 50, colour: '#6fbf73', key: 'band50' },
  { min: 25, colour: '#f2c572', key: 'band25' },
  { min: 0.0001, colour: '#f7dfb0', key: 'band1' },
  { min: 0, colour: '#e0e0e0', key: 'band0' },
];
const band = (pct: number) => BANDS.find((b) => pct >= b.min) ?? BANDS[BANDS.length - 1];

const OUTCOME_COLOURS: Record<string, string> = {
  talked: '#0b5d1e',
  not_home: '#767676',
  come_back_later: '#7a4a00',
  refused: '#a10e0e',
  moved: '#5b3f8c',
  no_access: '#333333',
  do_not_knock: '#000000',
};

type SortKey = 'name' | 'coveragePct' | 'reachedPct' | 'doors';

export function TurfSection({ campaignId, version, organizer }: { campaignId: string; version: number; organizer: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [showDoors, setShowDoors] = useState(false);
  const turfMap = useApi<Collection>(`/campaigns/${campaignId}/coverage/turfs.geojson`, version);
  const turfs = useApi<TurfRow[]>(`/campaigns/${campaignId}/coverage/turfs`, version);
  // Door-level data is read (and audited) only when an organizer asks to see it.
  const doors = useApi<Collection>(organizer && showDoors ? `/campaigns/${campaignId}/coverage/doors.geojson` : null, version);
  const neighbourhoods = useApi<NeighbourhoodRow[]>(`/campaigns/${campaignId}/coverage/neighbourhoods`, version);
  const org = useApi<{ mapTileUrl: string | null }>('/organizations/current');

  const pct = (v: number) => t('dashboard.percent', { value: formatPct(v, lang) });
  const layers = useMemo(() => {
    const list: MapLayer[] = [];
    if (turfMap.data) {
      list.push({
        id: 'turfs',
        data: turfMap.data,
        style: (f: Feature) => ({
          color: '#1f3a5f',
          weight: 2,
          fillColor: band(Number(f.properties.coveragePct ?? 0)).colour,
          fillOpacity: 0.65,
        }),
        label: (f: Feature) =>
          t('dashboard.map.label', {
            name: typeof f.properties.name === 'string' ? turfLabel(f.properties.name) : '',
            pct: t('dashboard.percent', { value: formatPct(Number(f.properties.coveragePct ?? 0), lang) }),
          }),
      });
    }
    if (showDoors && doors.data) {
      list.push({
        id: 'doors',
        data: doors.data,
        pointRadius: 4,
        style: (f: Feature) => {
          const outcome = f.properties.outcome as string | null;
          return {
            color: '#fff',
            weight: 1,
            fillColor: f.properties.doNotKnock ? '#000' : outcome ? (OUTCOME_COLOURS[outcome] ?? '#1f3a5f') : '#ffffff',
          };
        },
        tooltip: (f: Feature) => {
          const p = f.properties as { number: string; street: string; unit: string | null; outcome: string | null; doNotKnock: boolean };
          const where = p.unit ? `${p.number} ${p.street}, ${p.unit}` : `${p.number} ${p.street}`;
          const status = p.doNotKnock
            ? t('dashboard.outcome.do_not_knock')
            : p.outcome
              ? t(`dashboard.outcome.${p.outcome}`, { defaultValue: p.outcome })
              : t('dashboard.outcome.none');
          return `${where}: ${status}`;
        },
      });
    }
    return list;
  }, [turfMap.data, doors.data, showDoors, t, lang]);

  return (
    <section aria-labelledby="turfs-title">
      <h2 id="turfs-title">{t('dashboard.turfs.title')}</h2>
      {organizer && (
        <label className="dash-checkbox">
          <input type="checkbox" checked={showDoors} onChange={(e) => setShowDoors(e.target.checked)} />
          {t('dashboard.map.showDoors')}
        </label>
      )}
      <ErrorMessage error={turfMap.error ?? doors.error} />
      {turfMap.data && turfMap.data.features.length > 0 ? (
        <>
          <GeoMap
            layers={layers}
            ariaLabel={t('dashboard.map.aria')}
            tileUrl={org.data?.mapTileUrl ?? null}
            height="26rem"
            fitKey={`${campaignId}`}
          />
          <ul className="dash-legend" aria-label={t('dashboard.map.legend')}>
            {BANDS.map((b) => (
              <li key={b.key}>
                <span className="dash-swatch" style={{ background: b.colour }} aria-hidden="true" /> {t(`dashboard.map.${b.key}`)}
              </li>
            ))}
            {showDoors &&
              Object.entries(OUTCOME_COLOURS).map(([o, c]) => (
                <li key={o}>
                  <span className="dash-swatch dash-round" style={{ background: c }} aria-hidden="true" /> {t(`dashboard.outcome.${o}`)}
                </li>
              ))}
          </ul>
        </>
      ) : (
        turfMap.data && <p className="muted">{t('dashboard.map.noOutlines')}</p>
      )}
      <ErrorMessage error={turfs.error} />
      {turfs.data && (
        <AreaTable
          caption={t('dashboard.turfs.caption')}
          nameHeader={t('dashboard.turfs.turf')}
          rows={turfs.data.map((r) => ({ ...r, name: turfLabel(r.name), key: r.turfId, status: r.assignmentStatus }))}
          pct={pct}
          withStatus
        />
      )}
      {neighbourhoods.data && neighbourhoods.data.length > 0 && (
        <>
          <h2>{t('dashboard.neighbourhoods.title')}</h2>
          <AreaTable
            caption={t('dashboard.neighbourhoods.caption')}
            nameHeader={t('dashboard.neighbourhoods.name')}
            rows={neighbourhoods.data.map((r) => ({ ...r, key: r.neighbourhoodId, status: null }))}
            pct={pct}
          />
        </>
      )}
    </section>
  );
}

/** Turfs or neighbourhoods with their figures; the column headers sort (by coverage, first). */
function AreaTable({
  caption,
  nameHeader,
  rows,
  pct,
  withStatus = false,
}: {
  caption: string;
  nameHeader: string;
  rows: (AreaFigures & { key: string; status: string | null })[];
  pct: (v: number) => string;
  withStatus?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'coveragePct', desc: false });
  const sorted = [...rows].sort((a, b) => {
    const d = sort.key === 'name' ? a.name.localeCompare(b.name, i18n.language, { numeric: true }) : a[sort.key] - b[sort.key];
    return (sort.desc ? -d : d) || a.name.localeCompare(b.name, i18n.language, { numeric: true });
  });
  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="dash-sort-button"
          onClick={() => setSort({ key, desc: active ? !sort.desc : key !== 'name' })}
          aria-label={t('dashboard.sortBy', { column: label })}
        >
          {label} <span aria-hidden="true">{active ? (sort.desc ? '▼' : '▲') : '↕'}</span>
        </button>
      </th>
    );
  };
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <table className="dash-area-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {header('name', nameHeader)}
          {header('doors', t('dashboard.turfs.doors'))}
          <th scope="col">{t('dashboard.turfs.attempted')}</th>
          {header('coveragePct', t('dashboard.turfs.coverage'))}
          <th scope="col">{t('dashboard.turfs.reached')}</th>
          {header('reachedPct', t('dashboard.turfs.reachedPct'))}
          <th scope="col">{t('dashboard.turfs.withMaterials')}</th>
          <th scope="col">{t('dashboard.turfs.doNotKnock')}</th>
          {withStatus && <th scope="col">{t('dashboard.turfs.route')}</th>}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td>{n(r.doors)}</td>
            <td>{n(r.attempted)}</td>
            <td>
              <span className="dash-pct-cell">
                <span className="dash-pct-bar" aria-hidden="true">
                  <span style={{ width: `${Math.min(100, r.coveragePct)}%` }} />
                </span>
                {pct(r.coveragePct)}
              </span>
            </td>
            <td>{n(r.reached)}</td>
            <td>{pct(r.reachedPct)}</td>
            <td>{n(r.withMaterials)}</td>
            <td>{n(r.doNotKnock)}</td>
            {withStatus && (
              <td>
                {r.status ? t(`dashboard.routeStatus.${r.status}`, { defaultValue: r.status }) : t('dashboard.routeStatus.unassigned')}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
