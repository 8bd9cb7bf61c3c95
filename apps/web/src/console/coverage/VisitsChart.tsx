import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { BarChart } from './BarChart';
import { formatBucket, formatNumber } from './format';
import { Series } from './types';
import { useApi } from './useApi';

/** Visits per hour or per day, in the campaign's time zone: a bar chart and the same data as a table. */
export function VisitsChart({ campaignId, version }: { campaignId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [bucket, setBucket] = useState<'hour' | 'day'>('day');
  const series = useApi<Series>(`/campaigns/${campaignId}/coverage/series?bucket=${bucket}`, version);
  const points = series.data?.bucket === bucket ? series.data.points : [];
  const total = points.reduce((sum, p) => sum + p.visits, 0);
  const bars = points.map((p) => ({ label: formatBucket(p.at, bucket, i18n.language), value: p.visits, inner: p.talked }));
  const title = t(bucket === 'day' ? 'dashboard.chart.titleDay' : 'dashboard.chart.titleHour');
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">{t('dashboard.chart.title')}</h2>
      <div className="row">
        <label className="dash-inline">
          {t('dashboard.chart.bucket')}
          <select value={bucket} onChange={(e) => setBucket(e.target.value as 'hour' | 'day')}>
            <option value="day">{t('dashboard.chart.perDay')}</option>
            <option value="hour">{t('dashboard.chart.perHour')}</option>
          </select>
        </label>
        {series.data && <span className="muted">{t('dashboard.chart.timeZone', { zone: series.data.timeZone })}</span>}
      </div>
      <ErrorMessage error={series.error} />
      {series.data && points.length === 0 && <p className="muted">{t('dashboard.chart.empty')}</p>}
      {points.length > 0 && (
        <>
          <BarChart
            bars={bars}
            title={title}
            summary={t('dashboard.chart.summary', { count: points.length, total: formatNumber(total, i18n.language) })}
          />
          <p className="dash-legend">
            <span className="dash-swatch" style={{ background: '#1f3a5f' }} aria-hidden="true" /> {t('dashboard.chart.visits')}{' '}
            <span className="dash-swatch" style={{ background: '#f2b134' }} aria-hidden="true" /> {t('dashboard.chart.talked')}
          </p>
          <details>
            <summary>{t('dashboard.chart.asTable')}</summary>
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(bucket === 'day' ? 'dashboard.chart.day' : 'dashboard.chart.hour')}</th>
                  <th scope="col">{t('dashboard.chart.visits')}</th>
                  <th scope="col">{t('dashboard.chart.talked')}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p, i) => (
                  <tr key={p.at}>
                    <th scope="row">{bars[i].label}</th>
                    <td>{formatNumber(p.visits, i18n.language)}</td>
                    <td>{formatNumber(p.talked, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
