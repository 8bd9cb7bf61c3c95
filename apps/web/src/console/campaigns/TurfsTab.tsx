import { FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { GeoMap, MapLayer } from '../../map/GeoMap';
import { LonLat, outlineOf, polygonOf } from './geometry';
import { Campaign, CutResult, Door, fetchAll, formatDate, formatKm, inBatches, Member, Route, Turf } from './model';
import { RoutePanel } from './RoutePanel';
import { turfLabel } from '../../i18n';

type FC = GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;
const collection = (features: FC['features']): FC => ({ type: 'FeatureCollection', features });

const COLOURS = { outline: '#1f3a5f', selected: '#005fcc', route: '#6b3fa0', preview: '#7a4a00', drawing: '#a10e0e' };

/**
 * The campaign's turfs on a map and in a table. Organizers cut the doors into turfs automatically
 * (preview, then save), draw one by hand, merge and split them, and hand routes out.
 */
export function TurfsTab({ campaign, organizer, tileUrl }: { campaign: Campaign; organizer: boolean; tileUrl: string | null }) {
  const { t, i18n } = useTranslation();
  const [version, setVersion] = useState(0);
  const [turfs, setTurfs] = useState<Turf[] | null>(null);
  const [routes, setRoutes] = useState<Map<string, Route>>(() => new Map());
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ result: CutResult; doorsPerTurf: number; replace: boolean } | null>(null);
  const [doors, setDoors] = useState<Map<string, Door> | null>(null);
  const [drawing, setDrawing] = useState<LonLat[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  /** Buildings of the chosen route picked to move to another turf (on the map or in the route panel). */
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const centre = useRef<(() => [number, number]) | null>(null);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const ctl = new AbortController();
    (async () => {
      const list = await fetchAll<Turf>(`/campaigns/${campaign.id}/turfs`, ctl.signal);
      setTurfs(list);
      // Each route's doors in walking order, to draw the line a volunteer will walk.
      const all = await inBatches(list, 6, (x) => api<Route>('GET', `/turfs/${x.id}`, { signal: ctl.signal }));
      setRoutes(new Map(all.map((r) => [r.id, r])));
    })().catch((err: unknown) => {
      if (!ctl.signal.aborted) setError(err);
    });
    return () => ctl.abort();
  }, [campaign.id, version]);

  useEffect(() => {
    const ctl = new AbortController();
    fetchAll<Member>('/members', ctl.signal).then(setMembers, (err: unknown) => {
      if (!ctl.signal.aborted) setError(err);
    });
    return () => ctl.abort();
  }, []);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const names = useMemo(() => new Map(members.map((m) => [m.userId, m.displayName])), [members]);
  const selected = turfs?.find((x) => x.id === selectedId) ?? null;

  const select = useCallback((id: string) => {
    setSelectedId((cur) => (cur === id ? cur : id));
    setPicked((cur) => (cur.size === 0 ? cur : new Set()));
  }, []);
  const pick = useCallback(
    (buildingId: string) =>
      setPicked((cur) => {
        const next = new Set(cur);
        if (!next.delete(buildingId)) next.add(buildingId);
        return next;
      }),
    [],
  );

  const previewOutlines = useMemo(() => {
    if (!preview || !doors) return null;
    return preview.result.turfs.map((pt) =>
      outlineOf(
        pt.doorIds
          .map((id) => doors.get(id))
          .filter((d): d is Door => !!d)
          .map((d) => [d.lon, d.lat] as LonLat),
      ),
    );
  }, [preview, doors]);

  const layers = useMemo<MapLayer[]>(() => {
    const out: MapLayer[] = [];
    if (preview && previewOutlines) {
      out.push({
        id: 'preview',
        data: collection(
          preview.result.turfs.flatMap((pt, i) => {
            const g = previewOutlines[i];
            return g ? [{ type: 'Feature' as const, geometry: g, properties: { n: i + 1, count: pt.doorCount } }] : [];
          }),
        ),
        style: () => ({ color: COLOURS.preview, weight: 2, dashArray: '6 4', fillOpacity: 0.12 }),
        label: (f) => t('console.cut.previewLabel', { n: f.properties.n as number, count: f.properties.count as number }),
      });
    } else if (turfs) {
      out.push({
        id: 'turfs',
        data: collection(
          turfs
            .filter((x) => x.outline)
            .map((x) => ({
              type: 'Feature' as const,
              geometry: x.outline!,
              properties: { turfId: x.id, name: turfLabel(x.name), count: x.doorCount },
            })),
        ),
        style: (f) =>
          f.properties.turfId === selectedId
            ? { color: COLOURS.selected, weight: 4, fillOpacity: 0.2 }
            : { color: COLOURS.outline, weight: 2, fillOpacity: 0.06 },
        label: (f) => t('console.turfs.mapLabel', { name: f.properties.name as string, count: f.properties.count as number }),
        // The chosen turf's label stays when labels would overlap.
        labelPriority: (f) => (f.properties.turfId === selectedId ? 1 : 0),
        onClick: drawing ? undefined : (f) => select(f.properties.turfId as string),
      });
      const lines: FC['features'] = [];
      const starts: FC['features'] = [];
      for (const r of routes.values()) {
        if (r.stops.length === 0) continue;
        const coords = r.stops.map((s) => [s.lon, s.lat]);
        if (coords.length > 1)
          lines.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { turfId: r.id } });
        starts.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: coords[0] },
          properties: { turfId: r.id, name: turfLabel(r.name) },
        });
      }
      out.push({
        id: 'routes',
        data: collection(lines),
        style: (f) =>
          f.properties.turfId === selectedId
            ? { color: COLOURS.selected, weight: 3, opacity: 1 }
            : { color: COLOURS.route, weight: 1.5, opacity: 0.7 },
      });
      const sel = selectedId ? routes.get(selectedId) : undefined;
      if (sel) {
        out.push({
          id: 'stops',
          data: collection(
            sel.stops.map((s) => ({
              type: 'Feature' as const,
              geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
              properties: { text: `${s.position}. ${s.number} ${s.street}${s.unit ? ' ' + s.unit : ''}`, buildingId: s.buildingId },
            })),
          ),
          pointRadius: 5,
          style: (f) =>
            picked.has(f.properties.buildingId as string)
              ? { color: COLOURS.drawing, fillColor: COLOURS.drawing, weight: 3 }
              : { color: COLOURS.selected, fillColor: '#fff' },
          tooltip: (f) => f.properties.text as string,
          onClick: organizer && !drawing && !sel.assignment ? (f) => pick(f.properties.buildingId as string) : undefined,
        });
      }
      out.push({
        id: 'starts',
        data: collection(starts),
        pointRadius: 6,
        style: (f) => ({ color: '#111', fillColor: f.properties.turfId === selectedId ? COLOURS.selected : '#f2b134' }),
        label: (f) => (f.properties.turfId === selectedId ? t('console.turfs.start') : null),
        tooltip: (f) => t('console.turfs.startOf', { name: f.properties.name as string }),
      });
    }
    if (drawing && drawing.length > 0) {
      const shape: GeoJSON.Geometry =
        drawing.length >= 3
          ? polygonOf(drawing)
          : drawing.length === 2
            ? { type: 'LineString', coordinates: drawing }
            : { type: 'Point', coordinates: drawing[0] };
      out.push({
        id: 'drawing',
        noFit: true,
        data: collection([
          { type: 'Feature', geometry: shape, properties: {} },
          ...drawing.map((p) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: p }, properties: {} })),
        ]),
        pointRadius: 5,
        style: () => ({ color: COLOURS.drawing, weight: 3, dashArray: '4 4', fillOpacity: 0.15 }),
      });
    }
    return out;
  }, [preview, previewOutlines, turfs, routes, selectedId, drawing, select, picked, pick, organizer, t]);

  const onMapClick = useCallback((p: [number, number]) => setDrawing((d) => (d ? [...d, p] : d)), []);

  const afterChange = (message: string) => {
    setChosen(new Set());
    setNotice(message);
    reload();
  };

  const merge = async () => {
    setError(null);
    try {
      const res = await api<CutResult>('POST', '/turfs/merge', { body: { turfIds: [...chosen] } });
      setSelectedId(res.turfs[0]?.id ?? null);
      afterChange(t('console.turfs.merged', { count: chosen.size }));
    } catch (err) {
      setError(err);
    }
  };

  const n = (v: number) => v.toLocaleString(i18n.language);
  const fitKey = preview ? `preview-${preview.result.turfs.length}-${previewOutlines ? 1 : 0}` : `turfs-${turfs?.length ?? 0}`;

  return (
    <div className="stack">
      {organizer && (
        <div className="turf-tools">
          <CutPanel
            campaign={campaign}
            preview={preview}
            onPreview={(p) => {
              setPreview(p);
              setNotice(null);
              if (!doors)
                fetchAll<Door>(`/campaigns/${campaign.id}/doors`).then((list) => setDoors(new Map(list.map((d) => [d.id, d]))), setError);
            }}
            onDiscard={() => setPreview(null)}
            onSaved={(result) => {
              setPreview(null);
              afterChange(t('console.cut.saved', { count: result.summary.turfCount }));
            }}
          />
          <DrawPanel
            campaignId={campaign.id}
            allInTurfs={!!turfs && turfs.length > 0 && turfs.reduce((n, x) => n + x.doorCount, 0) >= campaign.doorCount}
            points={drawing}
            onChange={setDrawing}
            onAddCentre={() => {
              const p = centre.current?.();
              if (p) setDrawing((d) => (d ? [...d, p] : d));
            }}
            onSaved={(result, took) => {
              setDrawing(null);
              setSelectedId(result.turfs[0]?.id ?? null);
              afterChange(t(took ? 'console.draw.savedTaking' : 'console.draw.saved', { count: result.summary.doorCount }));
            }}
          />
        </div>
      )}
      {notice && (
        <p className="success" role="status" tabIndex={-1} ref={noticeRef} data-testid="turfs-notice">
          {notice}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="turfs-layout">
        <GeoMap
          layers={layers}
          ariaLabel={t(drawing ? 'console.draw.mapLabel' : preview ? 'console.cut.mapLabel' : 'console.turfs.mapAria')}
          tileUrl={tileUrl}
          fitKey={fitKey}
          onMapClick={drawing ? onMapClick : undefined}
          centreRef={drawing ? centre : undefined}
          height="32rem"
        />
        {selected ? (
          <RoutePanel
            key={selected.id}
            turf={selected}
            route={routes.get(selected.id) ?? null}
            members={members}
            organizer={organizer}
            onChanged={(next) => setTurfs((list) => list?.map((x) => (x.id === next.id ? { ...x, ...next } : x)) ?? list)}
            onSplit={(result) => {
              setSelectedId(result.turfs[0]?.id ?? null);
              afterChange(t('console.turfs.split', { count: result.turfs.length }));
            }}
            turfs={turfs ?? []}
            picked={picked}
            onPick={pick}
            onMoved={(result, moved) => {
              setPicked(new Set());
              if (!result.turfs.some((x) => x.id === selected.id)) setSelectedId(null);
              afterChange(t('console.turfs.moved', { count: moved }));
            }}
            onClose={() => setSelectedId(null)}
          />
        ) : (
          <p className="card muted route-panel">{t(turfs && turfs.length > 0 ? 'console.turfs.chooseHint' : 'console.turfs.panelEmpty')}</p>
        )}
      </div>
      {preview && !previewOutlines && (
        <p className="muted" role="status">
          {t('console.cut.loadingDoors')}
        </p>
      )}
      <section aria-labelledby="turfs-title" className="turfs-table">
        <div className="row console-title">
          <h2 id="turfs-title">{t('console.turfs.title', { count: turfs?.length ?? 0 })}</h2>
          {organizer && (
            <button type="button" disabled={chosen.size < 2} onClick={() => void merge()}>
              {t('console.turfs.mergeChosen', { count: chosen.size })}
            </button>
          )}
        </div>
        {!turfs && !error && (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
        {turfs && turfs.length === 0 && <p>{t(campaign.doorCount > 0 ? 'console.turfs.noneYet' : 'console.turfs.noDoors')}</p>}
        {turfs && turfs.length > 0 && (
          <div className="table-scroll">
            <table data-testid="turfs-table">
              <caption className="visually-hidden">{t('console.turfs.caption')}</caption>
              <thead>
                <tr>
                  {organizer && (
                    <th scope="col">
                      <span className="visually-hidden">{t('console.turfs.merge')}</span>
                    </th>
                  )}
                  <th scope="col">{t('console.turfs.name')}</th>
                  <th scope="col">{t('console.turfs.doors')}</th>
                  <th scope="col">{t('console.turfs.distance')}</th>
                  <th scope="col">{t('console.turfs.time')}</th>
                  <th scope="col">{t('console.turfs.code')}</th>
                  <th scope="col">{t('console.turfs.status')}</th>
                  <th scope="col">{t('console.turfs.assignees')}</th>
                </tr>
              </thead>
              <tbody>
                {turfs.map((x) => (
                  <tr key={x.id} className={x.id === selectedId ? 'selected' : undefined} data-turf={x.id}>
                    {organizer && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('console.turfs.chooseForMerge', { name: turfLabel(x.name) })}
                          checked={chosen.has(x.id)}
                          onChange={(e) => {
                            const next = new Set(chosen);
                            if (e.target.checked) next.add(x.id);
                            else next.delete(x.id);
                            setChosen(next);
                          }}
                        />
                      </td>
                    )}
                    <th scope="row">
                      <button type="button" className="link-button" aria-pressed={x.id === selectedId} onClick={() => select(x.id)}>
                        {turfLabel(x.name)}
                      </button>
                    </th>
                    <td>{n(x.doorCount)}</td>
                    <td>{t('console.turfs.km', { km: formatKm(x.walkMetres, i18n.language) })}</td>
                    <td>{t('console.turfs.minutes', { count: x.walkMinutes })}</td>
                    <td>
                      <code>{x.code}</code>
                    </td>
                    <td>
                      {x.assignment ? (
                        <>
                          <span className="badge ok">{t(`console.assignment.${x.assignment.status}`)}</span>{' '}
                          <span className="muted small">
                            {t('console.assignment.until', { date: formatDate(x.assignment.expiresAt, i18n.language) })}
                          </span>
                        </>
                      ) : (
                        <span className="badge warn">{t('console.assignment.none')}</span>
                      )}
                    </td>
                    <td data-testid="assignees">
                      {x.assignment ? x.assignment.volunteerIds.map((id) => names.get(id) ?? t('console.members.unknown')).join(', ') : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

interface PreviewState {
  result: CutResult;
  doorsPerTurf: number;
  replace: boolean;
}

function CutPanel({
  campaign,
  preview,
  onPreview,
  onDiscard,
  onSaved,
}: {
  campaign: Campaign;
  preview: PreviewState | null;
  onPreview: (p: PreviewState) => void;
  onDiscard: () => void;
  onSaved: (r: CutResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const [doorsPerTurf, setDoorsPerTurf] = useState(50);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (preview) summaryRef.current?.focus();
  }, [preview]);

  const run = async (save: boolean, params: { doorsPerTurf: number; replace: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api<CutResult>('POST', `/campaigns/${campaign.id}/turfs/cut`, { body: { ...params, save } });
      if (save) onSaved(result);
      else onPreview({ result, ...params });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(false, { doorsPerTurf, replace });
  };

  const s = preview?.result.summary;
  return (
    <section className="card stack" aria-labelledby="cut-title">
      <h2 id="cut-title">{t('console.cut.title')}</h2>
      <form className="row align-end" onSubmit={submit}>
        <label>
          {t('console.cut.doorsPerTurf')}
          <input
            type="number"
            min={5}
            max={500}
            required
            value={doorsPerTurf}
            onChange={(e) => setDoorsPerTurf(Number(e.target.value))}
            className="narrow-input"
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} aria-describedby="cut-replace-help" />
          {t('console.cut.replace')}
        </label>
        <button type="submit" disabled={busy || campaign.doorCount === 0}>
          {t('console.cut.preview')}
        </button>
      </form>
      <p id="cut-replace-help" className="muted small">
        {t('console.cut.replaceHelp')}
      </p>
      <ErrorMessage error={error} />
      {preview && s && (
        <div className="stack" ref={summaryRef} tabIndex={-1} data-testid="cut-preview">
          <p role="status">
            {s.turfCount === 0
              ? t('console.cut.nothing')
              : t('console.cut.summary', {
                  turfs: s.turfCount,
                  doors: s.doorCount.toLocaleString(i18n.language),
                  min: s.minDoors,
                  max: s.maxDoors,
                  km: formatKm(s.totalWalkMetres, i18n.language),
                })}
          </p>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={busy || s.turfCount === 0}
              onClick={() => void run(true, { doorsPerTurf: preview.doorsPerTurf, replace: preview.replace })}
            >
              {t('console.cut.accept')}
            </button>
            <button type="button" onClick={onDiscard} disabled={busy}>
              {t('console.cut.discard')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * A turf drawn by hand. It takes the doors inside it that no turf holds yet; after an automatic
 * cut there are none, so it says so before drawing and offers to take doors from the turfs the
 * drawing overlaps (those get new routes; a turf somebody walks is never taken from).
 */
function DrawPanel({
  campaignId,
  allInTurfs,
  points,
  onChange,
  onAddCentre,
  onSaved,
}: {
  campaignId: string;
  /** Every door of the campaign is in a turf already. */
  allInTurfs: boolean;
  points: LonLat[] | null;
  onChange: (p: LonLat[] | null) => void;
  onAddCentre: () => void;
  onSaved: (r: CutResult, tookFromTurfs: boolean) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [take, setTake] = useState<boolean | null>(null);
  const takeFromTurfs = take ?? allInTurfs;

  const save = async () => {
    if (!points || points.length < 3) return;
    setBusy(true);
    setError(null);
    try {
      const body = { area: polygonOf(points), ...(takeFromTurfs ? { takeFromTurfs: true } : {}) };
      onSaved(await api<CutResult>('POST', `/campaigns/${campaignId}/turfs`, { body }), takeFromTurfs);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="draw-title">
      <h2 id="draw-title">{t('console.draw.title')}</h2>
      <p className="small" data-testid="draw-takes">
        {t(allInTurfs ? 'console.draw.allInTurfs' : 'console.draw.freeDoorsOnly')}
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={takeFromTurfs} onChange={(e) => setTake(e.target.checked)} aria-describedby="draw-take-help" />
        {t('console.draw.takeFromTurfs')}
      </label>
      <p id="draw-take-help" className="muted small">
        {t('console.draw.takeFromTurfsHelp')}
      </p>
      {!points ? (
        <>
          <p className="muted small">{t('console.draw.help')}</p>
          <div>
            <button type="button" onClick={() => onChange([])}>
              {t('console.draw.start')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p role="status">{t('console.draw.points', { count: points.length })}</p>
          <p className="muted small">{t('console.draw.keyboardHelp')}</p>
          <div className="row">
            <button type="button" onClick={onAddCentre}>
              {t('console.draw.addCentre')}
            </button>
            <button type="button" className="primary" disabled={busy || points.length < 3} onClick={() => void save()}>
              {t('console.draw.save')}
            </button>
            <button type="button" disabled={points.length === 0} onClick={() => onChange(points.slice(0, -1))}>
              {t('console.draw.undo')}
            </button>
            <button type="button" onClick={() => onChange(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
