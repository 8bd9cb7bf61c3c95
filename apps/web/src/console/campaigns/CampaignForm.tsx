import { FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Campaign } from './model';

/** Every IANA zone the browser knows, for the list under the time-zone field. */
const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
};

/**
 * A campaign's name, description, dates, time zone and whether volunteers may take routes by
 * their code: a new campaign (POST), or changes to one (PATCH, only what differs).
 */
export function CampaignForm({
  campaign,
  onSaved,
  onCancel,
}: {
  campaign?: Campaign;
  onSaved: (c: Campaign) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(campaign?.name ?? '');
  const [description, setDescription] = useState(campaign?.description ?? '');
  const [startsOn, setStartsOn] = useState(campaign?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(campaign?.endsOn ?? '');
  const [timeZone, setTimeZone] = useState(campaign?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [selfAssign, setSelfAssign] = useState(campaign?.allowSelfAssignment ?? false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [zoneList] = useState(zones);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      name: name.trim(),
      description: description.trim(),
      startsOn: startsOn || null,
      endsOn: endsOn || null,
      timeZone: timeZone.trim(),
      allowSelfAssignment: selfAssign,
    };
    try {
      if (campaign) {
        const changed = Object.fromEntries(
          Object.entries(body).filter(([k, v]) => v !== (campaign as unknown as Record<string, unknown>)[k]),
        );
        onSaved(await api<Campaign>('PATCH', `/campaigns/${campaign.id}`, { body: changed }));
      } else {
        onSaved(await api<Campaign>('POST', '/campaigns', { body: { ...body, description: body.description || undefined } }));
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const titleId = `${id}-title`;
  return (
    <form className="card stack console-form" onSubmit={(e) => void submit(e)} aria-labelledby={titleId}>
      <h2 id={titleId}>{t(campaign ? 'console.campaigns.edit' : 'console.campaigns.new')}</h2>
      <label>
        {t('console.campaigns.name')}
        <input autoFocus required minLength={2} maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('console.campaigns.description')}
        <textarea rows={3} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="row">
        <label>
          {t('console.campaigns.startsOn')}
          <input type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />
        </label>
        <label>
          {t('console.campaigns.endsOn')}
          <input type="date" value={endsOn} min={startsOn || undefined} onChange={(e) => setEndsOn(e.target.value)} />
        </label>
      </div>
      <label>
        {t('console.campaigns.timeZone')}
        <input
          required
          list={`${id}-zones`}
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          aria-describedby={`${id}-zone-help`}
        />
        <datalist id={`${id}-zones`}>
          {zoneList.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <p id={`${id}-zone-help`} className="muted small">
        {t('console.campaigns.timeZoneHelp')}
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={selfAssign} onChange={(e) => setSelfAssign(e.target.checked)} />
        {t('console.campaigns.selfAssignment')}
      </label>
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t(campaign ? 'console.campaigns.save' : 'console.campaigns.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
