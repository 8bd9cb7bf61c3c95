import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { CutResult, formatDate, formatKm, Member, Route, RouteStop, Turf } from './model';
import { PaperEntry } from './PaperEntry';
import { turfLabel } from '../../i18n';

/** The route's QR code: the API draws it as SVG behind the bearer token, so it is fetched and shown from a blob URL. */
function useQrUrl(turfId: string): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ url: string | null; error: unknown }>({ url: null, error: null });
  useEffect(() => {
    const ctl = new AbortController();
    let url: string | null = null;
    api<string>('GET', `/turfs/${turfId}/qr.svg`, { text: true, signal: ctl.signal }).then(
      (svg) => {
        url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
        setState({ url, error: null });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ url: null, error });
      },
    );
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [turfId]);
  return state;
}

export function RoutePanel({
  turf,
  route,
  members,
  organizer,
  onChanged,
  onSplit,
  onClose,
  turfs,
  picked,
  onPick,
  onMoved,
}: {
  turf: Turf;
  route: Route | null;
  members: Member[];
  organizer: boolean;
  onChanged: (t: Turf) => void;
  onSplit: (r: CutResult) => void;
  onClose: () => void;
  /** The campaign's turfs, the other ones being where doors can move to. */
  turfs: Turf[];
  /** Buildings picked to move (ids), shared with the map. */
  picked: Set<string>;
  onPick: (buildingId: string) => void;
  onMoved: (r: CutResult, doors: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const qr = useQrUrl(turf.id);
  const ids = useId();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const volunteers = members.filter((m) => m.role === 'volunteer' && m.status === 'active');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [days, setDays] = useState(7);
  const [parts, setParts] = useState(2);
  const names = new Map(members.map((m) => [m.userId, m.displayName]));

  // A newly chosen route is new content: take the focus there, as if it were a dialog.
  useEffect(() => heading.current?.focus(), []);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const assign = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const volunteerIds = [first, second].filter((v, i, all) => v && all.indexOf(v) === i);
      const next = await api<Turf>('PUT', `/turfs/${turf.id}/assignment`, { body: { volunteerIds, expiresInDays: days } });
      onChanged(next);
      setMessage(t('console.route.assigned', { names: volunteerIds.map((id) => names.get(id) ?? '').join(', ') }));
    });
  };

  const release = () =>
    void act(async () => {
      onChanged(await api<Turf>('DELETE', `/turfs/${turf.id}/assignment`));
      setMessage(t('console.route.released'));
    });

  const split = () => void act(async () => onSplit(await api<CutResult>('POST', `/turfs/${turf.id}/split`, { body: { parts } })));

  const walkList = (kind: 'pdf' | 'csv') =>
    void act(() => download(`/turfs/${turf.id}/walk-list.${kind}`, `walk-list-${turf.code}.${kind}`));

  const a = turf.assignment;
  return (
    <section className="card stack route-panel" aria-labelledby="route-title" data-testid="route-panel">
      <div className="row console-title">
        <h2 id="route-title" ref={heading} tabIndex={-1}>
          {t('console.route.title', { name: turfLabel(turf.name) })}
        </h2>
        <button type="button" className="link-button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('console.turfs.doors')}</dt>
          <dd>{turf.doorCount.toLocaleString(i18n.language)}</dd>
        </div>
        <div>
          <dt>{t('console.turfs.distance')}</dt>
          <dd>{t('console.turfs.km', { km: formatKm(turf.walkMetres, i18n.language) })}</dd>
        </div>
        <div>
          <dt>{t('console.turfs.time')}</dt>
          <dd>{t('console.turfs.minutes', { count: turf.walkMinutes })}</dd>
        </div>
        <div>
          <dt>{t('console.turfs.code')}</dt>
          <dd>
            <code className="route-code" data-testid="route-code">
              {turf.code}
            </code>
          </dd>
        </div>
      </dl>
      {qr.url ? (
        <img src={qr.url} alt={t('console.route.qrAlt', { code: turf.code })} width={160} height={160} className="route-qr" />
      ) : (
        <ErrorMessage error={qr.error} />
      )}
      <p>
        {a ? (
          <>
            <strong>{t(`console.assignment.${a.status}`)}</strong>
            {': '}
            {a.volunteerIds.map((id) => names.get(id) ?? t('console.members.unknown')).join(', ')}
            {' · '}
            {t('console.assignment.until', { date: formatDate(a.expiresAt, i18n.language) })}
          </>
        ) : (
          <strong>{t('console.assignment.none')}</strong>
        )}
      </p>
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      <ErrorMessage error={error} />
      {/* Organizers and coordinators alike hand routes out and take them back. */}
      <form className="stack" onSubmit={assign} aria-labelledby="assign-title">
        <h3 id="assign-title">{a ? t('console.route.reassign') : t('console.route.assign')}</h3>
        {volunteers.length === 0 ? (
          <p className="muted">{t('console.route.noVolunteers')}</p>
        ) : (
          <>
            <div className="form-field">
              <label htmlFor={`${ids}-first`}>{t('console.route.volunteer')}</label>
              <select id={`${ids}-first`} required value={first} onChange={(e) => setFirst(e.target.value)}>
                <option value="">{t('console.route.choose')}</option>
                {volunteers.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.displayName}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-field">
              <label htmlFor={`${ids}-second`}>{t('console.route.partner')}</label>
              <select id={`${ids}-second`} value={second} onChange={(e) => setSecond(e.target.value)}>
                <option value="">{t('console.route.noPartner')}</option>
                {volunteers
                  .filter((m) => m.userId !== first)
                  .map((m) => (
                    <option key={m.userId} value={m.userId}>
                      {m.displayName}
                    </option>
                  ))}
              </select>
            </div>
            <label>
              {t('console.route.expiresInDays')}
              <input type="number" min={1} max={60} required value={days} onChange={(e) => setDays(Number(e.target.value))} />
            </label>
            <div className="row">
              <button type="submit" className="primary" disabled={busy || !first}>
                {t('console.route.assignButton')}
              </button>
              {a && (
                <button type="button" className="danger" disabled={busy} onClick={release}>
                  {t('console.route.release')}
                </button>
              )}
            </div>
          </>
        )}
      </form>
      <div className="stack">
        <h3>{t('console.route.walkList')}</h3>
        <div className="row">
          <button type="button" disabled={busy} onClick={() => walkList('pdf')}>
            {t('console.route.pdf')}
          </button>
          <button type="button" disabled={busy} onClick={() => walkList('csv')}>
            {t('console.route.csv')}
          </button>
        </div>
      </div>
      {route && <PaperEntry turf={turf} route={route} members={members} />}
      {organizer && !a && (
        <div className="row align-end">
          <div className="form-field">
            <label htmlFor={`${ids}-parts`}>{t('console.route.parts')}</label>
            <select id={`${ids}-parts`} value={parts} onChange={(e) => setParts(Number(e.target.value))}>
              {[2, 3, 4, 5].map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <button type="button" disabled={busy} onClick={split}>
            {t('console.route.split')}
          </button>
        </div>
      )}
      {organizer && <RenameTurf turf={turf} onRenamed={onChanged} />}
      {route && <StopOrder key={route.id} route={route} organizer={organizer} onSaved={onChanged} />}
      {organizer && route && <MoveBuildings route={route} turf={turf} turfs={turfs} picked={picked} onPick={onPick} onMoved={onMoved} />}
    </section>
  );
}

/** Organizers give a turf a name people know it by (unique within the campaign). */
function RenameTurf({ turf, onRenamed }: { turf: Turf; onRenamed: (t: Turf) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(turf.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const next = await api<Turf>('PATCH', `/turfs/${turf.id}`, { body: { name: name.trim() } });
      onRenamed(next);
      setName(next.name);
      setDone(t('console.route.renamed', { name: next.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="row align-end" onSubmit={(e) => void save(e)} data-testid="rename-turf">
      <div className="form-field">
        <label htmlFor={`${id}-name`}>{t('console.route.name')}</label>
        <input id={`${id}-name`} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <button type="submit" disabled={busy || name.trim() === '' || name.trim() === turf.name}>
        {t('console.route.rename')}
      </button>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}

/**
 * Buildings of this route moved to another turf: picked here (checkboxes, for the keyboard) or by
 * clicking their doors on the map. Both turfs get new routes; nobody may be walking either.
 */
function MoveBuildings({
  route,
  turf,
  turfs,
  picked,
  onPick,
  onMoved,
}: {
  route: Route;
  turf: Turf;
  turfs: Turf[];
  picked: Set<string>;
  onPick: (buildingId: string) => void;
  onMoved: (r: CutResult, doors: number) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const groups = new Map<string, RouteStop[]>();
  for (const s of route.stops) groups.set(s.buildingId, [...(groups.get(s.buildingId) ?? []), s]);
  const label = (g: RouteStop[]) =>
    `${g[0].number} ${g[0].street}${g.length > 1 ? ` (${t('console.route.units', { count: g.length })})` : g[0].unit ? `, ${g[0].unit}` : ''}`;
  const others = turfs.filter((x) => x.id !== turf.id && !x.assignment);
  const doorIds = route.stops.filter((s) => picked.has(s.buildingId)).map((s) => s.doorId);

  const move = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onMoved(await api<CutResult>('POST', `/turfs/${target}/doors`, { body: { doorIds } }), doorIds.length);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details data-testid="move-buildings">
      <summary>{t('console.route.moveTitle')}</summary>
      {turf.assignment ? (
        <p className="muted">{t('console.route.moveBusy')}</p>
      ) : (
        <form className="stack" onSubmit={(e) => void move(e)}>
          <p className="muted">{t('console.route.moveHint')}</p>
          <ul className="stops plain">
            {[...groups.values()].map((g) => (
              <li key={g[0].buildingId}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={picked.has(g[0].buildingId)}
                    onChange={() => onPick(g[0].buildingId)}
                    aria-label={t('console.route.moveBuilding', { name: label(g) })}
                  />
                  {label(g)}
                </label>
              </li>
            ))}
          </ul>
          <div className="row align-end">
            <div className="form-field">
              <label htmlFor={`${id}-target`}>{t('console.route.moveTarget')}</label>
              <select id={`${id}-target`} required value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">{t('console.route.moveChoose')}</option>
                {others.map((x) => (
                  <option key={x.id} value={x.id}>
                    {turfLabel(x.name)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="primary" disabled={busy || !target || doorIds.length === 0}>
              {t('console.route.moveButton', { count: picked.size })}
            </button>
          </div>
          <ErrorMessage error={error} />
        </form>
      )}
    </details>
  );
}

/** Consecutive doors of one building: they move together, so a building's units stay together. */
function buildings(stops: RouteStop[]): RouteStop[][] {
  const groups: RouteStop[][] = [];
  for (const s of stops) {
    const last = groups[groups.length - 1];
    if (last && last[0].buildingId === s.buildingId) last.push(s);
    else groups.push([s]);
  }
  return groups;
}

/**
 * The route door by door; organizers can reorder it by hand, a building at a time (its units
 * move together), and save: the first door becomes the meeting point.
 */
function StopOrder({ route, organizer, onSaved }: { route: Route; organizer: boolean; onSaved: (t: Turf) => void }) {
  const { t } = useTranslation();
  const [groups, setGroups] = useState(() => buildings(route.stops));
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const label = (g: RouteStop[]) =>
    `${g[0].number} ${g[0].street}${g.length > 1 ? ` (${t('console.route.units', { count: g.length })})` : ''}`;

  const move = (i: number, by: -1 | 1) => {
    const next = [...groups];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setGroups(next);
    setChanged(true);
    setSaved(false);
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const doorIds = groups.flat().map((s) => s.doorId);
      const next = await api<Route>('PUT', `/turfs/${route.id}/route`, { body: { doorIds } });
      setGroups(buildings(next.stops));
      setChanged(false);
      setSaved(true);
      onSaved(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details>
      <summary>{t('console.route.stops', { count: route.stops.length })}</summary>
      {organizer && <p className="muted">{t('console.route.reorderHint')}</p>}
      <ol className="stops" data-testid="route-order">
        {groups.map((g, i) => (
          <li key={g[0].doorId}>
            <span>
              {label(g)}
              {g.length === 1 && g[0].unit ? `, ${g[0].unit}` : ''}
            </span>
            {organizer && (
              <span className="row">
                <button type="button" className="link-button" disabled={i === 0 || busy} onClick={() => move(i, -1)}>
                  {t('console.route.moveUp')}
                  <span className="visually-hidden">: {label(g)}</span>
                </button>
                <button type="button" className="link-button" disabled={i === groups.length - 1 || busy} onClick={() => move(i, 1)}>
                  {t('console.route.moveDown')}
                  <span className="visually-hidden">: {label(g)}</span>
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {organizer && changed && (
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
            {t('console.route.saveOrder')}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setGroups(buildings(route.stops));
              setChanged(false);
            }}
          >
            {t('console.route.discardOrder')}
          </button>
        </div>
      )}
      {saved && (
        <p className="success" role="status">
          {t('console.route.orderSaved')}
        </p>
      )}
      <ErrorMessage error={error} />
    </details>
  );
}
