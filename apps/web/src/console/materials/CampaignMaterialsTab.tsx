import { FormEvent, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { fetchAll, useLoad } from '../campaigns/model';
import { formatCount, languageName, Material, materialErrors, materialName } from './model';
import './materials.css';

/**
 * The materials a campaign hands out, chosen from the catalogue's materials in use: volunteers see
 * them at check-in and at each door.
 */
export function CampaignMaterialsTab({ campaignId }: { campaignId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const id = useId();
  const loadCatalogue = useCallback((signal: AbortSignal) => fetchAll<Material>('/materials?status=active', signal), []);
  const catalogue = useLoad(loadCatalogue);
  const loadChosen = useCallback(
    (signal: AbortSignal) => api<Material[]>('GET', `/campaigns/${campaignId}/materials`, { signal }),
    [campaignId],
  );
  const chosen = useLoad(loadChosen);
  // The person's choice once they tick a box; until then, what the campaign hands out now.
  const [edited, setEdited] = useState<Set<string> | null>(null);
  const selected = edited ?? (chosen.data ? new Set(chosen.data.map((m) => m.id)) : null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const toggle = (materialId: string, on: boolean) => {
    const next = new Set(selected ?? []);
    if (on) next.add(materialId);
    else next.delete(materialId);
    setEdited(next);
    setSaved(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api('PUT', `/campaigns/${campaignId}/materials`, { body: { materialIds: [...selected] } });
      setSaved(true);
      setEdited(null);
      chosen.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const errors = [...materialErrors(error, t), ...materialErrors(catalogue.error ?? chosen.error, t)];
  const items = catalogue.data ?? [];
  const legendId = `${id}-legend`;
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('materials.campaign.title')}</h2>
      <p className="muted">{t('materials.campaign.intro')}</p>
      {(!catalogue.data || !selected) && !errors.length && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {catalogue.data && selected && items.length === 0 && <p>{t('materials.campaign.none')}</p>}
      {catalogue.data && selected && items.length > 0 && (
        <form className="stack" onSubmit={(e) => void submit(e)} data-testid="campaign-materials-form">
          <fieldset>
            <legend id={legendId}>{t('materials.campaign.choose')}</legend>
            <ul className="plain-list">
              {items.map((m) => (
                <li key={m.id}>
                  <label className="checkbox">
                    <input type="checkbox" checked={selected.has(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
                    {t('materials.campaign.optionLabel', {
                      name: materialName(m, lang),
                      kind: t(`dashboard.materialKind.${m.kind}`, { defaultValue: m.kind }),
                      language: languageName(m.language, lang),
                      stock: formatCount(m.stock, lang),
                    })}
                    {m.lowStock && (
                      <span className="badge warn">
                        <span aria-hidden="true">⚠ </span>
                        {t('materials.low')}
                      </span>
                    )}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {t('materials.campaign.save')}
            </button>
            <Link href="~/app/console/materials">{t('materials.campaign.manage')}</Link>
          </div>
        </form>
      )}
      {catalogue.data && items.length === 0 && <Link href="~/app/console/materials">{t('materials.campaign.manage')}</Link>}
      {saved && (
        <p className="success" role="status">
          {t('materials.campaign.saved')}
        </p>
      )}
      {errors.length > 0 && (
        <div className="error" role="alert">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
    </section>
  );
}
