import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Switch, useLocation } from 'wouter';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AddressesTab } from './AddressesTab';
import { CampaignForm } from './CampaignForm';
import { Campaign, formatDate, Organization, useLoad } from './model';
import { CampaignMaterialsTab } from '../materials/CampaignMaterialsTab';
import { TurfsTab } from './TurfsTab';
import './campaigns.css';

/** One campaign: addresses, turfs and routes. Paths inside are relative to /app/console/campaigns/:id. */
export function CampaignPage({ campaignId }: { campaignId: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [location] = useLocation();
  const loadCampaign = useCallback((signal: AbortSignal) => api<Campaign>('GET', `/campaigns/${campaignId}`, { signal }), [campaignId]);
  const campaign = useLoad(loadCampaign);
  // The organization's map tiles, if it chose any; without them maps draw on a plain background.
  const loadOrg = useCallback((signal: AbortSignal) => api<Organization>('GET', '/organizations/current', { signal }), []);
  const org = useLoad(loadOrg);
  const heading = useRef<HTMLHeadingElement>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const c = campaign.data;
  const organizer = me?.role === 'organizer';

  // Moving between tabs is a page change for a screen reader: announce it by focusing the heading.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [location]);

  if (campaign.error) return <ErrorMessage error={campaign.error} />;
  if (!c)
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );

  const tabs: [string, string][] = [
    ['/', t('console.campaign.tabs.addresses')],
    ['/turfs', t('console.campaign.tabs.turfs')],
    ['/materials', t('materials.campaign.tab')],
  ];
  return (
    <section>
      <p>
        <Link href="~/app/console">{t('console.campaign.back')}</Link>
      </p>
      <div className="row console-title">
        <h1 ref={heading} tabIndex={-1}>
          {c.name}
        </h1>
        {organizer && !editing && (
          <button
            type="button"
            onClick={() => {
              setEditing(true);
              setSaved(false);
            }}
          >
            {t('console.campaigns.edit')}
          </button>
        )}
      </div>
      {editing && (
        <CampaignForm
          campaign={c}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
            campaign.reload();
            heading.current?.focus();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {saved && (
        <p className="success" role="status">
          {t('console.campaigns.saved')}
        </p>
      )}
      {c.description && <p className="campaign-description">{c.description}</p>}
      <p className="muted" data-testid="campaign-summary">
        {t('console.campaign.doorCount', { count: c.doorCount, formatted: c.doorCount.toLocaleString(i18n.language) })}
        {(c.startsOn || c.endsOn) &&
          ' · ' +
            t('console.campaigns.dateRange', {
              from: c.startsOn ? formatDate(c.startsOn, i18n.language) : '…',
              to: c.endsOn ? formatDate(c.endsOn, i18n.language) : '…',
            })}
      </p>
      <nav aria-label={t('console.campaign.tabs.label')} className="campaign-tabs">
        <ul>
          {tabs.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={location === href ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
          <li>
            <Link href={`~/app/console/campaigns/${campaignId}/coverage`} data-testid="coverage-link">
              {t('console.campaign.tabs.coverage')}
            </Link>
          </li>
        </ul>
      </nav>
      <Switch>
        <Route path="/">
          {organizer ? <AddressesTab campaign={c} onImported={campaign.reload} /> : <p>{t('console.campaign.doorsOrganizersOnly')}</p>}
        </Route>
        <Route path="/turfs">
          <TurfsTab campaign={c} organizer={organizer} tileUrl={org.data?.mapTileUrl ?? null} />
        </Route>
        <Route path="/materials">
          <CampaignMaterialsTab campaignId={campaignId} />
        </Route>
      </Switch>
    </section>
  );
}
