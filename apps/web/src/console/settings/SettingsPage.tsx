import { FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Organization, useLoad } from '../campaigns/model';
import { ChannelsNotice } from '../events/ChannelsNotice';
import '../campaigns/campaigns.css';

const SWITCHES = ['notesEnabled', 'coarseLocationEnabled', 'emailRemindersEnabled', 'smsRemindersEnabled', 'leaderboardsEnabled'] as const;
type Switch = (typeof SWITCHES)[number];
/** How long, in days, the organization keeps each kind of record (1 to 3650; 90 by default). */
const RETENTION = ['notesRetentionDays', 'locationsRetentionDays', 'supporterContactsRetentionDays', 'visitsRetentionDays'] as const;
type Retention = (typeof RETENTION)[number];
/** `country`: ISO 3166-1 alpha-2; phone numbers typed without + are read as dialled there. */
type Settings = Organization & Partial<Record<Retention, number | string>> & { country?: string };

/** The fields a refused save names (the API lists them under details.fields). */
function fieldsInError(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiError)) return {};
  const fields = (error.details as { fields?: Record<string, string[]> } | undefined)?.fields;
  return fields ?? {};
}

/** The organization's name and what it lets volunteers' phones record and send (organizers only). */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const { me, reload: reloadMe } = useAuth();
  const load = useCallback((signal: AbortSignal) => api<Settings>('GET', '/organizations/current', { signal }), []);
  const org = useLoad(load);
  // The form edits a copy of the organization once it is touched; until then it shows what was loaded.
  const [edited, setDraft] = useState<Settings | null>(null);
  const draft = edited ?? org.data ?? null;
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  if (me && me.role !== 'organizer') return <p>{t('console.settings.organizersOnly')}</p>;
  if (org.error) return <ErrorMessage error={org.error} />;
  if (!draft)
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const body: Record<string, unknown> = { name: draft.name.trim() };
      if (draft.country !== undefined) body.country = draft.country.trim().toUpperCase();
      for (const s of SWITCHES) body[s] = draft[s];
      if (draft.mapTileUrl !== undefined) body.mapTileUrl = draft.mapTileUrl?.trim() || null;
      // Sent as typed: the server refuses what is not a whole number of days, and says which field.
      for (const r of RETENTION) if (draft[r] !== undefined && draft[r] !== '') body[r] = Number(draft[r]);
      setDraft(await api<Settings>('PATCH', '/organizations/current', { body }));
      setSaved(true);
      // The profile lists the organization by name: refresh it so the new name shows everywhere.
      void reloadMe();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (key: Switch, value: boolean) => {
    setSaved(false);
    setDraft({ ...draft, [key]: value });
  };

  const invalid = fieldsInError(error);
  const countryName = (code: string | undefined) => {
    if (!code || !/^[A-Za-z]{2}$/.test(code)) return '';
    try {
      return new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code.toUpperCase()) ?? '';
    } catch {
      return '';
    }
  };

  return (
    <section>
      <h1>{t('console.settings.title')}</h1>
      <form className="stack console-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('console.settings.name')}
          <input required minLength={2} maxLength={200} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        {draft.country !== undefined && (
          <div className="setting">
            <label>
              {t('dashboard.country.label')}
              <input
                required
                maxLength={2}
                size={3}
                pattern="[A-Za-z]{2}"
                autoComplete="country"
                value={draft.country}
                onChange={(e) => {
                  setSaved(false);
                  setDraft({ ...draft, country: e.target.value });
                }}
                aria-invalid={invalid.country ? true : undefined}
                aria-describedby={`setting-country-help${invalid.country ? ' setting-country-error' : ''}`}
                data-testid="setting-country"
              />{' '}
              <span className="muted">{countryName(draft.country)}</span>
            </label>
            <p id="setting-country-help" className="muted small">
              {t('dashboard.country.help')}
            </p>
            {invalid.country && (
              <p id="setting-country-error" className="error small">
                {t('dashboard.country.invalid')}
              </p>
            )}
          </div>
        )}
        <fieldset className="stack">
          <legend>{t('console.settings.switches')}</legend>
          <ChannelsNotice />
          {SWITCHES.map((key) => (
            <div key={key} className="setting">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={draft[key]}
                  onChange={(e) => toggle(key, e.target.checked)}
                  aria-describedby={`setting-${key}-help`}
                />
                {t(`console.settings.${key}.label`)}
              </label>
              <p id={`setting-${key}-help`} className="muted small">
                {t(`console.settings.${key}.help`)}
              </p>
            </div>
          ))}
        </fieldset>
        {RETENTION.some((key) => draft[key] !== undefined) && (
          <fieldset className="stack">
            <legend>{t('console.settings.retention.title')}</legend>
            <p className="muted small">{t('console.settings.retention.intro')}</p>
            {RETENTION.map((key) => (
              <div key={key} className="setting">
                <label>
                  {t(`console.settings.retention.${key}.label`)}
                  <input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={3650}
                    step={1}
                    required
                    value={draft[key] ?? ''}
                    onChange={(e) => {
                      setSaved(false);
                      setDraft({ ...draft, [key]: e.target.value });
                    }}
                    aria-invalid={invalid[key] ? true : undefined}
                    aria-describedby={`setting-${key}-help${invalid[key] ? ` setting-${key}-error` : ''}`}
                  />
                </label>
                <p id={`setting-${key}-help`} className="muted small">
                  {t(`console.settings.retention.${key}.help`)}
                </p>
                {invalid[key] && (
                  <p id={`setting-${key}-error`} className="error small">
                    {t('console.settings.retention.invalid')}
                  </p>
                )}
              </div>
            ))}
          </fieldset>
        )}
        {draft.mapTileUrl !== undefined && (
          <label>
            {t('console.settings.mapTileUrl.label')}
            <input
              type="url"
              maxLength={500}
              placeholder="https://tiles.example.org/{z}/{x}/{y}.png"
              value={draft.mapTileUrl ?? ''}
              onChange={(e) => setDraft({ ...draft, mapTileUrl: e.target.value })}
              aria-describedby="setting-map-help"
            />
            <small id="setting-map-help" className="muted">
              {t('console.settings.mapTileUrl.help')}
            </small>
          </label>
        )}
        <ErrorMessage error={error} />
        {saved && (
          <p className="success" role="status">
            {t('console.settings.saved')}
          </p>
        )}
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
