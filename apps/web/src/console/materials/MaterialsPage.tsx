import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Page, useLoad } from '../campaigns/model';
import { MaterialForm } from './MaterialForm';
import { formatCount, languageName, Material, materialErrors, materialName } from './model';
import '../campaigns/campaigns.css';
import './materials.css';

const PAGE_SIZE = 25;
type Status = 'active' | 'retired' | 'all';

/**
 * The organization's catalogue of materials, for organizers and coordinators: add one, change its
 * names, stock and low-stock warning, retire it or put it back in use. A page of 25 at a time.
 */
export function MaterialsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [status, setStatus] = useState<Status>('active');
  const [offset, setOffset] = useState(0);
  const load = useCallback(
    (signal: AbortSignal) => api<Page<Material>>('GET', `/materials?status=${status}&limit=${PAGE_SIZE}&offset=${offset}`, { signal }),
    [status, offset],
  );
  const list = useLoad(load);
  const [editing, setEditing] = useState<Material | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);

  const saved = (m: Material, created: boolean) => {
    setEditing(null);
    setMessage(t(created ? 'materials.created' : 'materials.saved', { name: materialName(m, lang) }));
    list.reload();
  };

  const act = async (m: Material, retire: boolean) => {
    const name = materialName(m, lang);
    if (retire && !window.confirm(t('materials.confirmRetire', { name }))) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await api('POST', `/materials/${m.id}/${retire ? 'retire' : 'restore'}`);
      setMessage(t(retire ? 'materials.retired' : 'materials.restored', { name }));
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const page = list.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
  const errors = [...materialErrors(error, t), ...materialErrors(list.error, t)];
  return (
    <section className="stack" aria-labelledby="materials-title">
      <h1 id="materials-title">{t('materials.title')}</h1>
      <p className="muted">{t('materials.intro')}</p>
      {editing === null && (
        <p>
          <button
            ref={addButton}
            type="button"
            className="primary"
            onClick={() => {
              setEditing('new');
              setMessage(null);
            }}
          >
            {t('materials.new')}
          </button>
        </p>
      )}
      {editing !== null && (
        <MaterialForm
          key={editing === 'new' ? 'new' : editing.id}
          material={editing === 'new' ? undefined : editing}
          onSaved={(m) => saved(m, editing === 'new')}
          onCancel={() => setEditing(null)}
        />
      )}
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      {errors.length > 0 && (
        <div className="error" role="alert">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
      <section aria-labelledby="materials-list-title" className="stack">
        <div className="row align-end">
          <h2 id="materials-list-title">{t('materials.listTitle', { count: page?.total ?? 0 })}</h2>
          <label>
            {t('materials.show')}{' '}
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as Status);
                setOffset(0);
              }}
            >
              <option value="active">{t('materials.showActive')}</option>
              <option value="retired">{t('materials.showRetired')}</option>
              <option value="all">{t('materials.showAll')}</option>
            </select>
          </label>
        </div>
        {!page && !list.error && (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
        {page && page.items.length === 0 && <p className="muted">{t(status === 'retired' ? 'materials.noneRetired' : 'materials.none')}</p>}
        {page && page.items.length > 0 && (
          <div className="table-scroll">
            <table data-testid="materials-table">
              <caption className="visually-hidden">{t('materials.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('materials.name')}</th>
                  <th scope="col">{t('materials.kind')}</th>
                  <th scope="col">{t('materials.language')}</th>
                  <th scope="col">{t('materials.stock')}</th>
                  <th scope="col">{t('materials.status')}</th>
                  <th scope="col">{t('materials.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => {
                  const name = materialName(m, lang);
                  const other = lang.startsWith('es') ? m.names.en : m.names.es;
                  return (
                    <tr key={m.id} data-testid={`material-${m.id}`}>
                      <th scope="row">
                        {name}
                        {other && other !== name && (
                          <div className="muted small" lang={lang.startsWith('es') ? 'en' : 'es'}>
                            {other}
                          </div>
                        )}
                      </th>
                      <td>{t(`dashboard.materialKind.${m.kind}`, { defaultValue: m.kind })}</td>
                      <td>{languageName(m.language, lang)}</td>
                      <td data-testid="material-stock">
                        <span>{formatCount(m.stock, lang)}</span>{' '}
                        {m.lowStock && (
                          <span className="badge warn" data-testid="low-stock-badge">
                            <span aria-hidden="true">⚠ </span>
                            {t('materials.low')}
                          </span>
                        )}
                        <div className="muted small">
                          {m.lowStockThreshold === null
                            ? t('materials.noThreshold')
                            : t('materials.thresholdValue', { threshold: formatCount(m.lowStockThreshold, lang) })}
                        </div>
                      </td>
                      <td>
                        <span className={`badge ${m.retiredAt ? 'bad' : 'ok'}`}>
                          {t(m.retiredAt ? 'materials.retiredStatus' : 'materials.inUse')}
                        </span>
                      </td>
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            aria-label={t('materials.editLabel', { name })}
                            onClick={() => {
                              setEditing(m);
                              setMessage(null);
                            }}
                          >
                            {t('materials.change')}
                          </button>
                          {m.retiredAt ? (
                            <button
                              type="button"
                              disabled={busy}
                              aria-label={t('materials.restoreLabel', { name })}
                              onClick={() => void act(m, false)}
                            >
                              {t('materials.restore')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              className="danger"
                              disabled={busy}
                              aria-label={t('materials.retireLabel', { name })}
                              onClick={() => void act(m, true)}
                            >
                              {t('materials.retire')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {page && pages > 1 && (
          <nav aria-label={t('materials.pagination')} className="row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
              {t('materials.previous')}
            </button>
            <span>{t('materials.page', { page: Math.floor(offset / PAGE_SIZE) + 1, pages })}</span>
            <button type="button" disabled={offset + PAGE_SIZE >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
              {t('materials.next')}
            </button>
          </nav>
        )}
      </section>
    </section>
  );
}
