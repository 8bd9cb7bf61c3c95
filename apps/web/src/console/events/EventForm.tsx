import { FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { browserZone, COMMON_ZONES, isValidZone, localToOffsetIso, utcToLocalInput } from './time';
import { EVENT_KINDS, EventItem } from './types';

const OTHER = '__other__';

/** Field problems the API reported, as "field: message" lines. */
function fieldProblems(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const fields = (error.details as { fields?: Record<string, string[]> } | undefined)?.fields;
  return fields ? Object.entries(fields).flatMap(([f, msgs]) => msgs.map((m) => `${f}: ${m}`)) : [];
}

/** Creates an event, or edits one: times are typed as local date and time in the event's zone. */
export function EventForm({ event, onSaved, onCancel }: { event?: EventItem; onSaved: (e: EventItem) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const initialZone = event?.timeZone ?? browserZone();
  const zoneOptions = [...new Set([...COMMON_ZONES, browserZone()])];
  const [titleEn, setTitleEn] = useState(event?.title.en ?? '');
  const [titleEs, setTitleEs] = useState(event?.title.es ?? '');
  const [descEn, setDescEn] = useState(event?.description.en ?? '');
  const [descEs, setDescEs] = useState(event?.description.es ?? '');
  const [kind, setKind] = useState<EventItem['kind']>(event?.kind ?? 'action');
  const [address, setAddress] = useState(event?.address ?? '');
  const [lat, setLat] = useState(event?.location ? String(event.location.lat) : '');
  const [lon, setLon] = useState(event?.location ? String(event.location.lon) : '');
  const [zoneChoice, setZoneChoice] = useState(zoneOptions.includes(initialZone) ? initialZone : OTHER);
  const [zoneText, setZoneText] = useState(zoneOptions.includes(initialZone) ? '' : initialZone);
  const [start, setStart] = useState(event ? utcToLocalInput(event.startsAt, event.timeZone) : '');
  const [end, setEnd] = useState(event ? utcToLocalInput(event.endsAt, event.timeZone) : '');
  const [capacity, setCapacity] = useState(event?.capacity ? String(event.capacity) : '');
  const [visibility, setVisibility] = useState<EventItem['visibility']>(event?.visibility ?? 'members');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const zone = zoneChoice === OTHER ? zoneText.trim() : zoneChoice;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setError(null);
    if (!titleEn.trim() && !titleEs.trim()) return setProblem(t('dashboard.eventForm.needTitle'));
    if (!isValidZone(zone)) return setProblem(t('dashboard.eventForm.badZone', { zone }));
    const startsAt = localToOffsetIso(start, zone);
    const endsAt = localToOffsetIso(end, zone);
    if (!startsAt || !endsAt) return setProblem(t('dashboard.eventForm.needTimes'));
    if (new Date(endsAt).getTime() <= new Date(startsAt).getTime()) return setProblem(t('dashboard.eventForm.endAfterStart'));
    if ((lat.trim() === '') !== (lon.trim() === '')) return setProblem(t('dashboard.eventForm.needBoth'));
    const title: Record<string, string> = {};
    if (titleEn.trim()) title.en = titleEn.trim();
    if (titleEs.trim()) title.es = titleEs.trim();
    const description: Record<string, string> = {};
    if (descEn.trim()) description.en = descEn.trim();
    if (descEs.trim()) description.es = descEs.trim();
    const body = {
      title,
      ...(Object.keys(description).length > 0 ? { description } : {}),
      kind,
      address: address.trim(),
      location: lat.trim() ? { lat: Number(lat), lon: Number(lon) } : null,
      startsAt,
      endsAt,
      timeZone: zone,
      capacity: capacity.trim() ? Number(capacity) : null,
      visibility,
    };
    setBusy(true);
    try {
      const saved = event
        ? await api<EventItem>('PATCH', `/events/${event.id}`, { body })
        : await api<EventItem>('POST', '/events', { body });
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const problems = fieldProblems(error);
  return (
    <form className="stack card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{event ? t('dashboard.eventForm.editTitle') : t('dashboard.eventForm.newTitle')}</h2>
      <div className="dash-form-grid">
        <label>
          {t('dashboard.eventForm.titleEn')}
          <input lang="en" value={titleEn} onChange={(e) => setTitleEn(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('dashboard.eventForm.titleEs')}
          <input lang="es" value={titleEs} onChange={(e) => setTitleEs(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('dashboard.eventForm.descriptionEn')}
          <textarea lang="en" rows={3} value={descEn} onChange={(e) => setDescEn(e.target.value)} maxLength={5000} />
        </label>
        <label>
          {t('dashboard.eventForm.descriptionEs')}
          <textarea lang="es" rows={3} value={descEs} onChange={(e) => setDescEs(e.target.value)} maxLength={5000} />
        </label>
        <label>
          {t('dashboard.eventForm.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as EventItem['kind'])}>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`dashboard.eventKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.eventForm.address')}
          <input value={address} onChange={(e) => setAddress(e.target.value)} required minLength={3} maxLength={300} />
        </label>
        <label>
          {t('dashboard.eventForm.lat')}
          <input inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
        </label>
        <label>
          {t('dashboard.eventForm.lon')}
          <input inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} />
        </label>
        <label>
          {t('dashboard.eventForm.timeZone')}
          <select value={zoneChoice} onChange={(e) => setZoneChoice(e.target.value)}>
            {zoneOptions.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
            <option value={OTHER}>{t('dashboard.eventForm.otherZone')}</option>
          </select>
        </label>
        {zoneChoice === OTHER && (
          <label>
            {t('dashboard.eventForm.zoneText')}
            <input value={zoneText} onChange={(e) => setZoneText(e.target.value)} placeholder="America/Chicago" />
          </label>
        )}
        <label>
          {t('dashboard.eventForm.starts')}
          <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
        </label>
        <label>
          {t('dashboard.eventForm.ends')}
          <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
        </label>
        <div>
          <label>
            {t('dashboard.eventForm.capacity')}
            <input
              type="number"
              min={1}
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
              aria-describedby={`${id}-capacity`}
            />
          </label>
          <span className="muted" id={`${id}-capacity`}>
            {t('dashboard.eventForm.capacityHint')}
          </span>
        </div>
        <label>
          {t('dashboard.eventForm.visibility')}
          <select value={visibility} onChange={(e) => setVisibility(e.target.value as EventItem['visibility'])}>
            <option value="members">{t('dashboard.visibility.members')}</option>
            <option value="public">{t('dashboard.visibility.public')}</option>
          </select>
        </label>
      </div>
      <p className="muted">{t('dashboard.eventForm.timesIn', { zone: zone || '—' })}</p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorMessage error={error} />
      {problems.length > 0 && (
        <ul className="error">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {event ? t('dashboard.eventForm.save') : t('dashboard.eventForm.create')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('dashboard.eventForm.discard')}
          </button>
        )}
      </div>
    </form>
  );
}
