import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useAuth } from '../auth';
import { StoredRoute } from './db';
import { doorStatuses, FieldState, routeLabel, useField } from './store';
import { turfLabel } from '../i18n';

export function progress(route: StoredRoute, s: FieldState, me: string | undefined) {
  const statuses = doorStatuses(route, s, me);
  const total = route.stops.length;
  const visited = route.stops.filter((d) => statuses.has(d.doorId)).length;
  return { visited, total };
}

/** The routes handed to the volunteer: the next one to walk first, finished ones last. */
export function RoutesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const s = useField();
  if (!s.loaded) return <p role="status">{t('common.loading')}</p>;
  const rows = s.routes
    .map((r) => ({ r, p: progress(r, s, me?.id) }))
    .sort((a, b) => Number(a.p.visited >= a.p.total) - Number(b.p.visited >= b.p.total) || a.r.expiresAt.localeCompare(b.r.expiresAt));
  return (
    <section>
      <h1>{t('field.routes.title')}</h1>
      {rows.length === 0 && <p>{s.lastSyncAt ? t('field.routes.none') : t('field.routes.neverSynced')}</p>}
      <ul className="plain-list">
        {rows.map(({ r, p }, i) => {
          const done = p.visited >= p.total;
          return (
            <li key={r.id} className="card route-card" data-testid={`route-${r.id}`}>
              {i === 0 && !done && <p className="eyebrow">{t('field.routes.next')}</p>}
              <h2>
                {turfLabel(r.name)}
                {r.campaignName && (
                  <span className="route-campaign" data-testid="route-campaign">
                    {r.campaignName}
                  </span>
                )}
              </h2>
              <p>
                {t('field.routes.progress', { visited: p.visited, total: p.total })}
                {done && <span className="badge ok"> {t('field.routes.done')}</span>}
              </p>
              <progress
                max={Math.max(p.total, 1)}
                value={p.visited}
                aria-label={t('field.routes.progressLabel', { name: routeLabel(r) })}
              />
              <p className="muted">{t('field.routes.code', { code: r.code })}</p>
              <Link href={`/routes/${r.id}`} className="big-link">
                {t('field.routes.walk', { name: routeLabel(r) })}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
