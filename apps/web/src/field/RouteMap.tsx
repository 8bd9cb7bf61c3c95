/**
 * The route on a map: the walking line in order, every door a dot, the next door and the start
 * labelled. Loaded only when the volunteer opens it, so Leaflet never weighs on the field app's
 * first load; it draws the phone's own copy of the route, so it works offline too.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GeoMap, MapLayer } from '../map/GeoMap';
import type { Stop } from './db';

export default function RouteMap({ stops, visited, nextDoorId }: { stops: Stop[]; visited: Set<string>; nextDoorId: string | null }) {
  const { t } = useTranslation();
  const layers = useMemo<MapLayer[]>(() => {
    const line: GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: stops.map((s) => [s.lon, s.lat]) } }],
    };
    const doors: GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>> = {
      type: 'FeatureCollection',
      features: stops.map((s, i) => ({
        type: 'Feature',
        properties: {
          doorId: s.doorId,
          visited: visited.has(s.doorId),
          next: s.doorId === nextDoorId,
          first: i === 0,
          label: `${s.number} ${s.street}`,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      })),
    };
    return [
      { id: 'line', data: line, style: () => ({ color: '#1f3a5f', weight: 3, opacity: 0.8 }) },
      {
        id: 'doors',
        data: doors,
        pointRadius: 5,
        style: (f) => ({
          color: '#111',
          fillColor: f.properties.next ? '#f2b134' : f.properties.visited ? '#0b5d1e' : '#ffffff',
        }),
        label: (f) => (f.properties.next ? t('field.map.next') : f.properties.first ? t('field.map.start') : null),
        tooltip: (f) => `${String(f.properties.label)} · ${f.properties.visited ? t('field.map.visited') : t('field.map.notVisited')}`,
      },
    ];
  }, [stops, visited, nextDoorId, t]);
  return <GeoMap layers={layers} ariaLabel={t('field.map.label')} height="18rem" fitKey={stops.length ? stops[0].doorId : ''} />;
}
