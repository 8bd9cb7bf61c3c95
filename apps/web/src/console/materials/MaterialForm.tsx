import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { languageName, Material, MATERIAL_KINDS, MaterialKind, materialErrors, materialName } from './model';

const LANGUAGES = ['es', 'en'];

/** Server fields refused, by the form's own field. */
function refusedFields(error: unknown): Set<string> {
  if (!(error instanceof ApiError)) return new Set();
  const fields = Object.keys((error.details as { fields?: Record<string, unknown> } | undefined)?.fields ?? {});
  const out = new Set(fields.map((f) => (f.startsWith('names.') ? f.replace('.', '-') : f)));
  if (error.code === 'CONFLICT') out.add('names-en');
  if (fields.includes('name')) out.add('names-en');
  return out;
}

/**
 * A material's kind, language, names in English and Spanish, link, stock and low-stock warning:
 * a new one (POST) or changes to one (PATCH, only what differs).
 */
export function MaterialForm({
  material,
  onSaved,
  onCancel,
}: {
  material?: Material;
  onSaved: (m: Material) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const known = !material || LANGUAGES.includes(material.language);
  const [kind, setKind] = useState<MaterialKind>(material?.kind ?? 'kyr_card');
  const [language, setLanguage] = useState(known ? (material?.language ?? 'es') : 'other');
  const [otherLanguage, setOtherLanguage] = useState(known ? '' : (material?.language ?? ''));
  const [nameEn, setNameEn] = useState(material?.names.en ?? material?.name ?? '');
  const [nameEs, setNameEs] = useState(material?.names.es ?? '');
  const [linkUrl, setLinkUrl] = useState(material?.linkUrl ?? '');
  const [stock, setStock] = useState(String(material?.stock ?? 0));
  const [threshold, setThreshold] = useState(material?.lowStockThreshold === null || !material ? '' : String(material.lowStockThreshold));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [material?.id]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      kind,
      language: (language === 'other' ? otherLanguage : language).trim().toLowerCase(),
      names: { en: nameEn.trim(), es: nameEs.trim() },
      linkUrl: linkUrl.trim() || null,
      stock: Number(stock),
      lowStockThreshold: threshold.trim() === '' ? null : Number(threshold),
    };
    try {
      if (material) {
        const changed: Record<string, unknown> = {};
        if (body.kind !== material.kind) changed.kind = body.kind;
        if (body.language !== material.language) changed.language = body.language;
        if (body.names.en !== (material.names.en ?? material.name) || body.names.es !== (material.names.es ?? ''))
          changed.names = body.names;
        if (body.linkUrl !== material.linkUrl) changed.linkUrl = body.linkUrl;
        if (body.stock !== material.stock) changed.stock = body.stock;
        if (body.lowStockThreshold !== material.lowStockThreshold) changed.lowStockThreshold = body.lowStockThreshold;
        onSaved(await api<Material>('PATCH', `/materials/${material.id}`, { body: changed }));
      } else {
        onSaved(await api<Material>('POST', '/materials', { body: { ...body, linkUrl: body.linkUrl ?? undefined } }));
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const refused = refusedFields(error);
  const errorId = `${id}-error`;
  const invalid = (field: string) =>
    refused.has(field) ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : { 'aria-invalid': undefined };
  const titleId = `${id}-title`;
  const messages = materialErrors(error, t);
  return (
    <form className="card stack console-form" onSubmit={(e) => void submit(e)} aria-labelledby={titleId} data-testid="material-form">
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {material ? t('materials.edit', { name: materialName(material, i18n.language) }) : t('materials.new')}
      </h2>
      <div className="row">
        <label>
          {t('materials.nameEn')}
          <input
            name="nameEn"
            lang="en"
            required
            minLength={2}
            maxLength={120}
            value={nameEn}
            onChange={(e) => setNameEn(e.target.value)}
            {...invalid('names-en')}
          />
        </label>
        <label>
          {t('materials.nameEs')}
          <input
            name="nameEs"
            lang="es"
            required
            minLength={2}
            maxLength={120}
            value={nameEs}
            onChange={(e) => setNameEs(e.target.value)}
            {...invalid('names-es')}
          />
        </label>
      </div>
      <p className="muted small">{t('materials.namesHelp')}</p>
      <div className="row">
        <label>
          {t('materials.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as MaterialKind)} {...invalid('kind')}>
            {MATERIAL_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`dashboard.materialKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('materials.language')}
          <select
            name="language"
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
            aria-describedby={`${id}-language-help`}
            {...invalid('language')}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {languageName(l, i18n.language)}
              </option>
            ))}
            <option value="other">{t('materials.otherLanguageOption')}</option>
          </select>
        </label>
        {language === 'other' && (
          <label>
            {t('materials.otherLanguage')}
            <input
              name="otherLanguage"
              required
              pattern="[A-Za-z]{2}"
              maxLength={2}
              size={4}
              value={otherLanguage}
              onChange={(e) => setOtherLanguage(e.target.value)}
              {...invalid('language')}
            />
          </label>
        )}
      </div>
      <p id={`${id}-language-help`} className="muted small">
        {t('materials.languageHelp')}
      </p>
      <div className="row">
        <label>
          {t('materials.stock')}
          <input
            name="stock"
            type="number"
            inputMode="numeric"
            required
            min={0}
            max={1_000_000}
            step={1}
            value={stock}
            onChange={(e) => setStock(e.target.value)}
            aria-describedby={`${id}-stock-help`}
            {...invalid('stock')}
          />
        </label>
        <label>
          {t('materials.threshold')}
          <input
            name="lowStockThreshold"
            type="number"
            inputMode="numeric"
            min={0}
            max={1_000_000}
            step={1}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-describedby={`${id}-threshold-help`}
            {...invalid('lowStockThreshold')}
          />
        </label>
      </div>
      <p className="muted small">
        <span id={`${id}-stock-help`}>{t('materials.stockHelp')}</span>{' '}
        <span id={`${id}-threshold-help`}>{t('materials.thresholdHelp')}</span>
      </p>
      <label>
        {t('materials.linkUrl')}
        <input
          name="linkUrl"
          type="url"
          maxLength={2000}
          value={linkUrl}
          onChange={(e) => setLinkUrl(e.target.value)}
          {...invalid('linkUrl')}
        />
      </label>
      {messages.length > 0 && (
        <div id={errorId} className="error" role="alert" data-testid="material-error">
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {material ? t('materials.save') : t('materials.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('materials.cancel')}
        </button>
      </div>
    </form>
  );
}
