/**
 * A Leaflet map of Porchlight's own GeoJSON (turf outlines, routes, doors). With no tile URL it
 * draws on a plain background and makes no request to any other server; an organization may set
 * a tile URL (a self-hosted tile server, say), and then the OpenStreetMap attribution is shown.
 * Polygons can carry permanent labels so that what colour says is also written; labels that would
 * cover one another are hidden (the more important one stays), come back as the map zooms in,
 * and show while their feature is hovered or focused.
 */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { MutableRefObject, useEffect, useRef } from 'react';
import './map.css';

export type Feature = GeoJSON.Feature<GeoJSON.Geometry, Record<string, unknown>>;

export interface MapLayer {
  id: string;
  data: GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;
  style?: (f: Feature) => L.PathOptions;
  /** Permanent label drawn on the feature (e.g. "T-12 · 64 %"). */
  label?: (f: Feature) => string | null;
  /** Which label stays when two would overlap: the higher (default 0; then the earlier layer and feature). */
  labelPriority?: (f: Feature) => number;
  /** Text shown when the feature is hovered or focused. */
  tooltip?: (f: Feature) => string | null;
  /** Radius of point features, drawn as circles. */
  pointRadius?: number;
  onClick?: (f: Feature) => void;
  /** Leave this layer out when fitting the view (a shape being drawn, which must not move the map). */
  noFit?: boolean;
}

export interface GeoMapProps {
  layers: MapLayer[];
  /** Describes the map for screen readers; the same facts must be available outside the map. */
  ariaLabel: string;
  tileUrl?: string | null;
  height?: string;
  /** Re-fit the view whenever this value changes (default: when the layers' ids change). */
  fitKey?: string;
  /** Called with [longitude, latitude] when the map itself is clicked (drawing a polygon, say). */
  onMapClick?: (lonLat: [number, number]) => void;
  /**
   * Shows a cross at the centre and gives its [longitude, latitude] through this ref: keyboard
   * users move the map with the arrow keys and pick the point under the cross.
   */
  centreRef?: MutableRefObject<(() => [number, number]) | null>;
}

/**
 * Labels and tooltips carry names from imported files (streets, turfs): Leaflet puts a string in
 * as HTML, so they go in as an element holding plain text, never as markup.
 */
function asText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

export function GeoMap({ layers, ariaLabel, tileUrl, height = '28rem', fitKey, onMapClick, centreRef }: GeoMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const group = useRef<L.FeatureGroup | null>(null);
  const fitted = useRef<string | null>(null);
  const labels = useRef<PlacedLabel[]>([]);

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: true, attributionControl: true, preferCanvas: true });
    m.attributionControl.setPrefix(false);
    m.setView([33.749, -84.388], 12);
    map.current = m;
    group.current = L.featureGroup().addTo(m);
    const tidy = () => declutter(labels.current);
    m.on('zoomend moveend resize viewreset', tidy);
    void document.fonts?.ready.then(tidy);
    return () => {
      m.off('zoomend moveend resize viewreset', tidy);
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    if (!centreRef) return;
    centreRef.current = () => {
      const c = map.current!.getCenter();
      return [c.lng, c.lat];
    };
    return () => {
      centreRef.current = null;
    };
  }, [centreRef]);

  useEffect(() => {
    const m = map.current;
    if (!m || !tileUrl) return;
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap contributors' }).addTo(m);
    return () => {
      tiles.remove();
    };
  }, [tileUrl]);

  useEffect(() => {
    const m = map.current;
    if (!m || !onMapClick) return;
    const handler = (e: L.LeafletMouseEvent) => onMapClick([e.latlng.lng, e.latlng.lat]);
    m.on('click', handler);
    // Clicks in quick succession (the corners of a polygon) would otherwise zoom the map in.
    m.doubleClickZoom.disable();
    return () => {
      m.off('click', handler);
      m.doubleClickZoom.enable();
    };
  }, [onMapClick]);

  useEffect(() => {
    const m = map.current;
    const g = group.current;
    if (!m || !g) return;
    g.clearLayers();
    const placed: PlacedLabel[] = [];
    const bounds = L.latLngBounds([]);
    for (const layer of layers) {
      const geo = L.geoJSON(layer.data, {
        style: layer.style ? (f) => layer.style!(f as Feature) : undefined,
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, { radius: layer.pointRadius ?? 4, weight: 1, fillOpacity: 0.9, ...(layer.style?.(f as Feature) ?? {}) }),
        onEachFeature: (f, l) => {
          const label = layer.label?.(f as Feature);
          if (label) {
            l.bindTooltip(asText(label), { permanent: true, direction: 'center', className: 'map-label' });
            const entry: PlacedLabel = { layer: l, priority: layer.labelPriority?.(f as Feature) ?? 0, order: placed.length, held: false };
            placed.push(entry);
            // A label hidden to make room shows while its feature is pointed at or focused.
            const hold = (on: boolean) => () => {
              entry.held = on;
              applyVisibility(entry);
            };
            l.on('mouseover focus', hold(true));
            l.on('mouseout blur', hold(false));
          } else {
            const tip = layer.tooltip?.(f as Feature);
            if (tip) l.bindTooltip(asText(tip));
          }
          if (layer.onClick) l.on('click', () => layer.onClick!(f as Feature));
        },
      });
      g.addLayer(geo);
      if (!layer.noFit) {
        const b = geo.getBounds();
        if (b.isValid()) bounds.extend(b);
      }
    }
    labels.current = placed;
    const key = fitKey ?? layers.map((l) => l.id).join('|');
    if (fitted.current !== key) {
      if (bounds.isValid()) {
        m.fitBounds(bounds, { padding: [16, 16], animate: false });
        fitted.current = key;
      }
    }
    declutter(placed);
    // Again once the browser has laid the labels out (fonts, sizes settled).
    const frame = requestAnimationFrame(() => declutter(placed));
    return () => cancelAnimationFrame(frame);
  }, [layers, fitKey]);

  return (
    <div className="geo-map-frame" style={{ height }}>
      <div ref={el} className="geo-map" style={{ height }} role="region" aria-label={ariaLabel} />
      {centreRef && <div className="geo-map-cross" aria-hidden="true" />}
    </div>
  );
}

interface PlacedLabel {
  layer: L.Layer;
  priority: number;
  order: number;
  /** Hidden for lack of room. */
  crowded?: boolean;
  /** Its feature is hovered or focused: shown whatever the room. */
  held: boolean;
}

function applyVisibility(p: PlacedLabel): void {
  const el = p.layer.getTooltip()?.getElement();
  if (el) el.classList.toggle('map-label-crowded', !!p.crowded && !p.held);
}

/**
 * Hides the labels that would cover a label more important than them (higher priority, then
 * drawn first), so that those shown can all be read; run again whenever the map zooms or moves.
 */
function declutter(placed: PlacedLabel[]): void {
  const shown: DOMRect[] = [];
  const ranked = [...placed].sort((a, b) => b.priority - a.priority || a.order - b.order);
  for (const p of ranked) {
    const el = p.layer.getTooltip()?.getElement();
    if (!el) continue;
    const box = el.getBoundingClientRect();
    const gap = 2;
    p.crowded = shown.some(
      (o) => box.left < o.right + gap && box.right > o.left - gap && box.top < o.bottom + gap && box.bottom > o.top - gap,
    );
    if (!p.crowded) shown.push(box);
    applyVisibility(p);
  }
}
