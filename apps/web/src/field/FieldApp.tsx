import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, Route, Switch } from 'wouter';
import { useAuth } from '../auth';
import { AccountPage } from '../pages/Account';
import { EventsPage } from './EventsPage';
import { OutboxPage } from './OutboxPage';
import { RoutesPage } from './RoutesPage';
import { ShiftPage } from './ShiftPage';
import { setFieldUser, startField, useField } from './store';
import { WalkPage } from './WalkPage';
import './field.css';

/** The volunteer's phone app: routes, walking a route, the shift, the outbox and events. */
export default function FieldApp() {
  const { t } = useTranslation();
  const { me } = useAuth();
  useEffect(() => startField(), []);
  useEffect(() => setFieldUser(me?.id ?? null), [me?.id]);
  const tab = (active: boolean) => (active ? 'field-tab active' : 'field-tab');
  return (
    <div className="field">
      <nav aria-label={t('field.nav.label')} className="field-nav">
        <Link href="/" className={tab}>
          {t('field.nav.routes')}
        </Link>
        <Link href="/shift" className={tab}>
          {t('field.nav.shift')}
        </Link>
        <Link href="/outbox" className={tab}>
          {t('field.nav.outbox')}
        </Link>
        <Link href="/events" className={tab}>
          {t('field.nav.events')}
        </Link>
      </nav>
      <SyncBar />
      <Switch>
        <Route path="/" component={RoutesPage} />
        <Route path="/routes/:id">{(p) => <WalkPage key={p.id} routeId={p.id} />}</Route>
        <Route path="/shift" component={ShiftPage} />
        <Route path="/outbox" component={OutboxPage} />
        <Route path="/events" component={EventsPage} />
        <Route path="/account" component={AccountPage} />
        <Route>
          <Redirect to="/" />
        </Route>
      </Switch>
    </div>
  );
}

/** Connection and outbox, always in words: a volunteer in sunlight cannot rely on a colour. */
function SyncBar() {
  const { t } = useTranslation();
  const s = useField();
  const waiting = s.outbox.filter((e) => e.state === 'pending').length;
  const rejected = s.outbox.filter((e) => e.state === 'rejected').length;
  const held = s.outbox.filter((e) => e.state === 'quarantined').length;
  return (
    <div className={`sync-bar ${s.online ? 'is-online' : 'is-offline'}`}>
      <p className="sync-line" role="status">
        <strong>{s.online ? t('field.sync.online') : t('field.sync.offline')}</strong>
        {s.syncing && <span> · {t('field.sync.syncing')}</span>}
      </p>
      <p className="sync-line">
        <Link href="/outbox" data-testid="outbox-count" data-count={waiting} className="outbox-count">
          {waiting > 0 ? t('field.sync.waiting', { count: waiting }) : t('field.sync.allSent')}
        </Link>
        {rejected > 0 && <span className="badge bad"> {t('field.sync.rejected', { count: rejected })}</span>}
        {held > 0 && <span className="badge warn"> {t('field.sync.held', { count: held })}</span>}
      </p>
    </div>
  );
}
