import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useAuth } from '../auth';
import { OUTCOMES, Outcome, Quantity, Stop } from './db';
import { address, doorLabel, languageName, localTimeLabel, materialLabel, newId } from './format';
import { doorStatuses, localTime, record, undo, useField } from './store';
import { turfLabel } from '../i18n';

const RouteMap = lazy(() => import('./RouteMap'));

/** Languages offered for the conversation; the codes are what the API stores (ISO 639-1). */
const LANGUAGES = ['en', 'es', 'pt', 'fr', 'ht', 'zh', 'vi'];
const OTHER_OUTCOMES = OUTCOMES.filter((o) => o !== 'not_home');

interface Last {
  id: string;
  text: string;
}

/** Walking a route: the next door first, one tap per outcome, undo while the record is on the phone. */
export function WalkPage({ routeId }: { routeId: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const s = useField();
  const [selected, setSelected] = useState<string | null>(null);
  const [chips, setChips] = useState<Set<string>>(new Set());
  const [language, setLanguage] = useState('');
  const [followUp, setFollowUp] = useState(false);
  const [last, setLast] = useState<Last | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const route = s.routes.find((r) => r.id === routeId);

  // After each record, the next door's heading takes the focus so a keyboard or screen reader follows.
  useEffect(() => {
    if (last) heading.current?.focus();
  }, [last]);

  if (!s.loaded) return <p role="status">{t('common.loading')}</p>;
  if (!route)
    return (
      <section>
        <p>{t('field.walk.missing')}</p>
        <Link href="/">{t('field.walk.backToRoutes')}</Link>
      </section>
    );

  const statuses = doorStatuses(route, s, me?.id);
  const dnk = new Set(route.doNotKnockDoorIds);
  const doors = route.stops.filter((d) => !dnk.has(d.doorId));
  const next = doors.find((d) => !statuses.has(d.doorId));
  const current = doors.find((d) => d.doorId === selected) ?? next;
  const visited = route.stops.filter((d) => statuses.has(d.doorId)).length;
  const materials = s.materials[route.campaignId] ?? [];
  const shiftId = s.shift?.turfId === route.id ? s.shift.id : undefined;
  const units = current ? doors.filter((d) => d.buildingId === current.buildingId && d.unit !== null) : [];
  const unitsLeft = units.filter((d) => !statuses.has(d.doorId) || d.doorId === current?.doorId);
  const left = (): Quantity[] => [...chips].map((materialId) => ({ materialId, quantity: 1 }));

  const reset = (text: string, id: string) => {
    setLast({ id, text });
    setNotice('');
    setChips(new Set());
    setFollowUp(false);
    setLanguage('');
    setSelected(null);
  };

  const recordOutcome = async (door: Stop, outcome: Outcome) => {
    setBusy(true);
    try {
      const id = newId();
      const materialsLeft = left();
      await record({
        kind: 'visit',
        id,
        turfId: route.id,
        doorId: door.doorId,
        outcome,
        recordedAt: localTime(),
        ...(shiftId ? { shiftId } : {}),
        ...(language && outcome !== 'not_home' ? { language } : {}),
        ...(followUp ? { followUp: true } : {}),
        ...(materialsLeft.length ? { materials: materialsLeft } : {}),
      });
      reset(t('field.walk.recorded', { outcome: t(`field.outcomes.${outcome}`), door: doorLabel(t, door) }), id);
    } finally {
      setBusy(false);
    }
  };

  const nobodyHome = async () => {
    if (!current) return;
    setBusy(true);
    try {
      const id = newId();
      const materialsLeft = left();
      await record({
        kind: 'not_home',
        id,
        turfId: route.id,
        doorIds: unitsLeft.map((d) => d.doorId),
        recordedAt: localTime(),
        ...(shiftId ? { shiftId } : {}),
        ...(materialsLeft.length ? { materialsPerDoor: materialsLeft } : {}),
      });
      reset(t('field.walk.recordedBuilding', { count: unitsLeft.length, address: address(current) }), id);
    } finally {
      setBusy(false);
    }
  };

  const takeBack = async () => {
    if (!last) return;
    const result = await undo(last.id);
    setLast(null);
    setNotice(t(`field.walk.undo_${result}`));
  };

  const toggleChip = (id: string) =>
    setChips((old) => {
      const n = new Set(old);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <section className="walk">
      <div className="walk-head">
        <h1>
          {turfLabel(route.name)}
          {route.campaignName && <span className="route-campaign">{route.campaignName}</span>}
        </h1>
        <Link href="/" className="back-link">
          {t('field.walk.backToRoutes')}
        </Link>
      </div>
      <div className="walk-progress">
        <p data-testid="route-progress">{t('field.routes.progress', { visited, total: route.stops.length })}</p>
        <progress max={Math.max(route.stops.length, 1)} value={visited} aria-hidden="true" />
      </div>

      <div className="walk-status" role="status" aria-live="polite">
        {last && (
          <div className="recorded">
            <span>{last.text}</span>
            <button type="button" onClick={() => void takeBack()} data-testid="undo">
              {t('field.walk.undo')}
            </button>
          </div>
        )}
        {notice && <p className="notice">{notice}</p>}
      </div>

      {current ? (
        <div className="door-card" data-testid="current-door" data-door-id={current.doorId}>
          <p className="eyebrow">{current === next ? t('field.walk.nextDoor') : t('field.walk.chosenDoor')}</p>
          <h2 ref={heading} tabIndex={-1} className="door-address">
            {address(current)}
          </h2>
          {current.unit && <p className="door-unit">{t('field.walk.unit', { unit: current.unit })}</p>}
          {statuses.get(current.doorId) && <p className="muted">{statusText(t, statuses.get(current.doorId)!)}</p>}

          <button type="button" className="primary outcome-main" disabled={busy} onClick={() => void recordOutcome(current, 'not_home')}>
            {t('field.outcomes.not_home')}
          </button>
          {unitsLeft.length > 1 && (
            <button
              type="button"
              className="outcome-building"
              disabled={busy}
              onClick={() => void nobodyHome()}
              data-testid="nobody-home-building"
            >
              {t('field.walk.nobodyHomeBuilding', { count: unitsLeft.length, address: address(current) })}
            </button>
          )}

          <fieldset className="walk-options">
            <legend>{t('field.walk.details')}</legend>
            {materials.length > 0 && (
              <div role="group" aria-label={t('field.walk.materialsLeft')} className="chips">
                <span className="group-label">{t('field.walk.materialsLeft')}</span>
                {materials.map((m) => (
                  <button key={m.id} type="button" className="chip" aria-pressed={chips.has(m.id)} onClick={() => toggleChip(m.id)}>
                    {chips.has(m.id) ? '✓ ' : ''}
                    {materialLabel(m)}
                  </button>
                ))}
              </div>
            )}
            <label>
              {t('field.walk.language')}
              <select value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="conversation-language">
                <option value="">{t('field.walk.languageNone')}</option>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {languageName(l, i18n.language)}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={followUp} onChange={(e) => setFollowUp(e.target.checked)} />
              {t('field.walk.followUp')}
            </label>
          </fieldset>

          <div className="outcomes" role="group" aria-label={t('field.walk.outcomes')}>
            {OTHER_OUTCOMES.map((o) => (
              <button key={o} type="button" className="outcome" disabled={busy} onClick={() => void recordOutcome(current, o)}>
                {t(`field.outcomes.${o}`)}
              </button>
            ))}
          </div>
        </div>
      ) : (
        <p className="door-card done">{t('field.walk.allDone')}</p>
      )}

      <details className="route-map" onToggle={(e) => setShowMap(e.currentTarget.open)}>
        <summary>{t('field.map.show')}</summary>
        {showMap && (
          <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
            <RouteMap stops={doors} visited={new Set(statuses.keys())} nextDoorId={next?.doorId ?? null} />
            <p className="muted">{t('field.map.legend')}</p>
          </Suspense>
        )}
      </details>

      <h2>{t('field.walk.allDoors')}</h2>
      <ol className="door-list">
        {doors.map((d) => {
          const st = statuses.get(d.doorId);
          const isCurrent = d.doorId === current?.doorId;
          return (
            <li
              key={d.doorId}
              data-testid={`door-${d.doorId}`}
              aria-current={isCurrent ? 'step' : undefined}
              className={isCurrent ? 'current' : ''}
            >
              <span className="door-line">
                <span>{doorLabel(t, d)}</span>
                <span className="door-state">{st ? statusText(t, st) : t('field.walk.notVisited')}</span>
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => setSelected(d.doorId)}
                aria-label={t('field.walk.chooseDoor', { door: doorLabel(t, d) })}
              >
                {t('field.walk.choose')}
              </button>
            </li>
          );
        })}
      </ol>
      {route.doNotKnockDoorIds.length > 0 && (
        <p className="muted">{t('field.walk.doNotKnockHidden', { count: route.doNotKnockDoorIds.length })}</p>
      )}
      <p className="muted">
        {t('field.walk.lastSync', { time: s.lastSyncAt ? localTimeLabel(s.lastSyncAt, i18n.language) : t('field.walk.never') })}
      </p>
    </section>
  );
}

function statusText(t: ReturnType<typeof useTranslation>['t'], st: { outcome: Outcome; byPartner: boolean; waiting: boolean }): string {
  const outcome = t(`field.outcomes.${st.outcome}`);
  if (st.waiting) return t('field.walk.statusWaiting', { outcome });
  if (st.byPartner) return t('field.walk.statusPartner', { outcome });
  return t('field.walk.statusSent', { outcome });
}
