import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { EventItem, ReminderRule } from './types';

/** A rule in words: "The day before at 11:00, by e-mail". */
export function ruleText(t: (k: string, o?: Record<string, unknown>) => string, r: ReminderRule): string {
  const channel = t(`dashboard.channel.${r.channel}`);
  if (r.type === 'before') return t('dashboard.schedule.ruleBefore', { minutes: r.minutes ?? 0, channel });
  return t(r.type === 'day_before' ? 'dashboard.schedule.ruleDayBefore' : 'dashboard.schedule.ruleMorningOf', { at: r.at ?? '', channel });
}

/** The event's own reminder schedule: shown in words, and edited rule by rule. */
export function ScheduleEditor({ event, onSaved }: { event: EventItem; onSaved: (e: EventItem) => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [rules, setRules] = useState<ReminderRule[]>(event.reminderSchedule);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const change = (i: number, patch: Partial<ReminderRule>) => setRules((list) => list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setType = (i: number, type: ReminderRule['type']) =>
    change(
      i,
      type === 'before'
        ? { type, minutes: 30, at: undefined }
        : { type, at: type === 'day_before' ? '11:00' : '09:00', minutes: undefined },
    );

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reminderSchedule = rules.map((r) =>
        r.type === 'before'
          ? { type: r.type, minutes: Number(r.minutes), channel: r.channel }
          : { type: r.type, at: r.at, channel: r.channel },
      );
      const saved = await api<EventItem>('PATCH', `/events/${event.id}`, { body: { reminderSchedule } });
      setEditing(false);
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('dashboard.schedule.title')}</h2>
      {!editing && (
        <>
          {event.reminderSchedule.length === 0 ? (
            <p className="muted">{t('dashboard.schedule.none')}</p>
          ) : (
            <ul data-testid="schedule">
              {event.reminderSchedule.map((r, i) => (
                <li key={i}>{ruleText(t, r)}</li>
              ))}
            </ul>
          )}
          <p className="muted">{t('dashboard.schedule.note')}</p>
          {event.reminderSchedule.some((r) => r.type === 'morning_of') && <p className="muted">{t('dashboard.schedule.morningRule')}</p>}
          {event.status === 'scheduled' && (
            <button
              type="button"
              onClick={() => {
                setRules(event.reminderSchedule);
                setEditing(true);
              }}
            >
              {t('dashboard.schedule.edit')}
            </button>
          )}
        </>
      )}
      {editing && (
        <form className="stack" onSubmit={(e) => void save(e)}>
          {rules.map((r, i) => (
            <fieldset key={i}>
              <legend>{t('dashboard.schedule.rule', { n: i + 1 })}</legend>
              <div className="row">
                <label>
                  {t('dashboard.schedule.when')}
                  <select value={r.type} onChange={(e) => setType(i, e.target.value as ReminderRule['type'])}>
                    <option value="day_before">{t('dashboard.schedule.dayBefore')}</option>
                    <option value="morning_of">{t('dashboard.schedule.morningOf')}</option>
                    <option value="before">{t('dashboard.schedule.before')}</option>
                  </select>
                </label>
                {r.type === 'before' ? (
                  <label>
                    {t('dashboard.schedule.minutes')}
                    <input
                      type="number"
                      min={5}
                      max={20160}
                      value={r.minutes ?? ''}
                      onChange={(e) => change(i, { minutes: Number(e.target.value) })}
                    />
                  </label>
                ) : (
                  <label>
                    {t('dashboard.schedule.at')}
                    <input type="time" value={r.at ?? ''} onChange={(e) => change(i, { at: e.target.value })} />
                  </label>
                )}
                <label>
                  {t('dashboard.schedule.channel')}
                  <select value={r.channel} onChange={(e) => change(i, { channel: e.target.value as ReminderRule['channel'] })}>
                    <option value="email">{t('dashboard.channel.email')}</option>
                    <option value="sms">{t('dashboard.channel.sms')}</option>
                  </select>
                </label>
                <button type="button" className="danger" onClick={() => setRules((list) => list.filter((_, j) => j !== i))}>
                  {t('dashboard.schedule.remove', { n: i + 1 })}
                </button>
              </div>
            </fieldset>
          ))}
          <div className="row">
            {rules.length < 10 && (
              <button type="button" onClick={() => setRules((list) => [...list, { type: 'before', minutes: 30, channel: 'sms' }])}>
                {t('dashboard.schedule.add')}
              </button>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {t('dashboard.schedule.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('dashboard.schedule.discard')}
            </button>
          </div>
          <ErrorMessage error={error} />
        </form>
      )}
    </section>
  );
}
