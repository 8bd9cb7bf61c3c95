import { useTranslation } from 'react-i18next';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useAuth } from '../auth';
import { AccountPage } from '../pages/Account';
import { addTranslations } from '../i18n';
import enConsole from '../i18n/locales/en/console.json';
import enDashboard from '../i18n/locales/en/dashboard.json';
import enMaterials from '../i18n/locales/en/materials.json';
import esConsole from '../i18n/locales/es/console.json';
import esDashboard from '../i18n/locales/es/dashboard.json';
import esMaterials from '../i18n/locales/es/materials.json';
import { CampaignList } from './campaigns/CampaignList';
import { CampaignPage } from './campaigns/CampaignPage';
import { CoveragePage } from './coverage/CoveragePage';
import { EventList } from './events/EventList';
import { EventPage } from './events/EventPage';
import { MaterialsPage } from './materials/MaterialsPage';
import { MembersPage } from './members/MembersPage';
import { MessagesPage } from './settings/MessagesPage';
import { SettingsPage } from './settings/SettingsPage';
import './console.css';

addTranslations('console', { en: enConsole, es: esConsole });
addTranslations('dashboard', { en: enDashboard, es: esDashboard });
addTranslations('materials', { en: enMaterials, es: esMaterials });

/** The organizer and coordinator console (desktop-first). Paths here are relative to /app/console. */
export default function ConsoleApp() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [location] = useLocation();
  const organizer = me?.role === 'organizer';
  const links: [string, string][] = [
    ['/', t('console.nav.campaigns')],
    ['/materials', t('materials.nav')],
    ['/events', t('console.nav.events')],
    ['/members', t('console.nav.members')],
    ['/messages', t('console.nav.messages')],
    ...(organizer ? ([['/settings', t('console.nav.settings')]] as [string, string][]) : []),
    ['/account', t('account.link')],
  ];
  const current = (href: string) => (href === '/' ? location === '/' || location.startsWith('/campaigns') : location.startsWith(href));
  return (
    <div className="console">
      <nav aria-label={t('console.nav.label')} className="console-nav">
        <ul>
          {links.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={current(href) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="console-body">
        <Switch>
          <Route path="/" component={CampaignList} />
          <Route path="/campaigns/:id/coverage">{(p) => <CoveragePage campaignId={p.id} />}</Route>
          <Route path="/campaigns/:id" nest>
            {(p) => <CampaignPage campaignId={p.id} />}
          </Route>
          <Route path="/events" component={EventList} />
          <Route path="/events/:id">{(p) => <EventPage eventId={p.id} />}</Route>
          <Route path="/materials" component={MaterialsPage} />
          <Route path="/members" component={MembersPage} />
          <Route path="/settings" component={SettingsPage} />
          <Route path="/messages" component={MessagesPage} />
          <Route path="/account" component={AccountPage} />
          <Route>
            <p>{t('common.notFound')}</p>
          </Route>
        </Switch>
      </div>
    </div>
  );
}
