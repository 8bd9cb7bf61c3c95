import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { Quantity } from './db';
import { formatTime, materialLabel, newId } from './format';
import { localTime, record, routeLabel, saveShift, useField } from './store';

/** Check-in and check-out, with the materials taken out and brought back; both go through the outbox. */
export function ShiftPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const s = useField();
  const [routeId, setRouteId] = useState('');
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  if (!s.loaded) return <p role="status">{t('common.loading')}</p>;

  const shift = s.shift;
  const route = s.routes.find((r) => r.id === (shift ? shift.turfId : routeId || s.routes[0]?.id));
  const materials = route ? (s.materials[route.campaignId] ?? []) : [];
  const quantities = (min: number): Quantity[] =>
    materials
      .map((m) => ({ materialId: m.id, quantity: Math.max(0, Math.floor(Number(counts[m.id] ?? '0')) || 0) }))
      .filter((q) => q.quantity >= min);

  const checkIn = async () => {
    if (!route) return;
    setBusy(true);
    try {
      const id = newId();
      const startedAt = localTime();
      const partner = route.assigneeIds.find((a) => a !== me?.id);
      const taken = quantities(1);
      await record({
        kind: 'check_in',
        id,
        turfId: route.id,
        startedAt,
        ...(partner ? { partnerUserId: partner } : {}),
        ...(taken.length ? { materialsTaken: taken } : {}),
      });
      await saveShift({ id, turfId: route.id, startedAt, taken });
      setCounts({});
      setDone(t('field.shift.checkedIn', { route: routeLabel(route) }));
    } finally {
      setBusy(false);
    }
  };

  const checkOut = async () => {
    if (!shift) return;
    setBusy(true);
    try {
      const returned = quantities(0).filter((q) => shift.taken.some((x) => x.materialId === q.materialId));
      await record({
        kind: 'check_out',
        id: newId(),
        shiftId: shift.id,
        endedAt: localTime(),
        ...(returned.length ? { materialsReturned: returned } : {}),
      });
      await saveShift(null);
      setCounts({});
      setDone(t('field.shift.checkedOut'));
    } finally {
      setBusy(false);
    }
  };

  const countInput = (id: string, label: string, max?: number) => (
    <label key={id}>
      {label}
      <input
        type="number"
        inputMode="numeric"
        min={0}
        max={max ?? 10000}
        value={counts[id] ?? ''}
        placeholder="0"
        onChange={(e) => setCounts({ ...counts, [id]: e.target.value })}
      />
    </label>
  );

  return (
    <section className="narrow-field">
      <h1>{t('field.shift.title')}</h1>
      <p role="status">{done}</p>
      {shift ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void checkOut();
          }}
        >
          <p data-testid="shift-state">
            <strong>
              {t('field.shift.onShift', { route: route ? routeLabel(route) : '', time: formatTime(shift.startedAt, i18n.language) })}
            </strong>
          </p>
          {shift.taken.length > 0 && (
            <fieldset className="stack">
              <legend>{t('field.shift.broughtBack')}</legend>
              {shift.taken.map((q) => {
                const m = materials.find((x) => x.id === q.materialId);
                return countInput(
                  q.materialId,
                  t('field.shift.returnedOf', { material: m ? materialLabel(m) : q.materialId, taken: q.quantity }),
                  q.quantity,
                );
              })}
            </fieldset>
          )}
          <button type="submit" className="primary big" disabled={busy}>
            {t('field.shift.checkOut')}
          </button>
        </form>
      ) : s.routes.length === 0 ? (
        <p>{t('field.shift.noRoutes')}</p>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void checkIn();
          }}
        >
          <p data-testid="shift-state">{t('field.shift.notOnShift')}</p>
          <label>
            {t('field.shift.route')}
            <select value={route?.id ?? ''} onChange={(e) => setRouteId(e.target.value)}>
              {s.routes.map((r) => (
                <option key={r.id} value={r.id}>
                  {routeLabel(r)}
                </option>
              ))}
            </select>
          </label>
          {materials.length > 0 && (
            <fieldset className="stack">
              <legend>{t('field.shift.taken')}</legend>
              {materials.map((m) => countInput(m.id, materialLabel(m)))}
            </fieldset>
          )}
          <button type="submit" className="primary big" disabled={busy || !route}>
            {t('field.shift.checkIn')}
          </button>
        </form>
      )}
      <p className="muted">{t('field.shift.offlineNote')}</p>
    </section>
  );
}
