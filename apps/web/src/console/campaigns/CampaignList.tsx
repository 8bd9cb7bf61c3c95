import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { CampaignForm } from './CampaignForm';
import { Campaign, formatDate, Page, useLoad } from './model';

const PAGE_SIZE = 20;

/** The organization's campaigns, newest first, a page at a time; organizers can start a new one here. */
export function CampaignList() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) => api<Page<Campaign>>('GET', `/campaigns?limit=${PAGE_SIZE}&offset=${offset}`, { signal }),
    [offset],
  );
  const { data, error } = useLoad(load);
  const organizer = me?.role === 'organizer';

  return (
    <section>
      <div className="row console-title">
        <h1>{t('console.campaigns.title')}</h1>
        {organizer && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('console.campaigns.new')}
          </button>
        )}
      </div>
      {creating && <NewCampaign onCancel={() => setCreating(false)} />}
      <ErrorMessage error={error} />
      {!data && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {data && data.items.length === 0 && <p>{organizer ? t('console.campaigns.emptyOrganizer') : t('console.campaigns.empty')}</p>}
      {data && data.items.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">{t('console.campaigns.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.campaigns.name')}</th>
                <th scope="col">{t('console.campaigns.dates')}</th>
                <th scope="col">{t('console.campaigns.doors')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/campaigns/${c.id}`}>{c.name}</Link>
                    {c.description && <div className="muted small">{c.description}</div>}
                  </td>
                  <td>
                    {c.startsOn || c.endsOn
                      ? t('console.campaigns.dateRange', {
                          from: c.startsOn ? formatDate(c.startsOn, i18n.language) : '…',
                          to: c.endsOn ? formatDate(c.endsOn, i18n.language) : '…',
                        })
                      : t('console.campaigns.noDates')}
                  </td>
                  <td>{c.doorCount.toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.total > PAGE_SIZE && (
            <nav className="row pager" aria-label={t('console.pager.label')}>
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                {t('common.previous')}
              </button>
              <span>{t('console.pager.range', { from: offset + 1, to: Math.min(offset + PAGE_SIZE, data.total), total: data.total })}</span>
              <button type="button" disabled={offset + PAGE_SIZE >= data.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                {t('common.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

/** A new campaign; once created, its page opens. */
function NewCampaign({ onCancel }: { onCancel: () => void }) {
  const [, navigate] = useLocation();
  return <CampaignForm onSaved={(created) => navigate(`/campaigns/${created.id}`)} onCancel={onCancel} />;
}
