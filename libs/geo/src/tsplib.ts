/**
 * TSPLIB instances (Reinelt, 1991) with node coordinates, the yardstick the route optimiser is
 * measured against. Each metric is the library's own, integer-valued definition, because the
 * published optima are stated in it.
 */

export type TsplibMetric = 'EUC_2D' | 'CEIL_2D' | 'ATT' | 'GEO';

export interface TsplibInstance {
  name: string;
  metric: TsplibMetric;
  dimension: number;
  /** As written in the file: x0, y0, x1, y1, ... (for GEO, latitude and longitude as DDD.MM). */
  coords: Float64Array;
  /** Planar stand-ins for the coordinates, good enough to pick nearest neighbours (for GEO, projected degrees). */
  planar: Float64Array;
  /** The instance's metric between nodes i and j (0-based). */
  distance: (i: number, j: number) => number;
}

const METRICS: readonly TsplibMetric[] = ['EUC_2D', 'CEIL_2D', 'ATT', 'GEO'];

/** Parses a TSPLIB file of type TSP with NODE_COORD_SECTION and one of {@link TsplibMetric}. */
export function parseTsplib(text: string): TsplibInstance {
  const header = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  let line = 0;
  for (; line < lines.length; line++) {
    const raw = lines[line].trim();
    if (raw === '') continue;
    // Any data section ends the header (only NODE_COORD_SECTION is read, checked below).
    if (/^[A-Z_]+_SECTION\b/.test(raw)) break;
    if (raw === 'EOF') break;
    const colon = raw.indexOf(':');
    if (colon < 0) throw new Error(`TSPLIB: unexpected line ${line + 1}: ${raw}`);
    header.set(raw.slice(0, colon).trim().toUpperCase(), raw.slice(colon + 1).trim());
  }
  const type = header.get('TYPE');
  if (type !== undefined && type.split(/\s/)[0] !== 'TSP') throw new Error(`TSPLIB: TYPE ${type} is not supported (only TSP)`);
  const metric = header.get('EDGE_WEIGHT_TYPE') as TsplibMetric | undefined;
  if (metric === undefined || !METRICS.includes(metric)) {
    throw new Error(`TSPLIB: EDGE_WEIGHT_TYPE ${metric ?? '(missing)'} is not supported (${METRICS.join(', ')})`);
  }
  const dimension = Number(header.get('DIMENSION'));
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error(`TSPLIB: bad DIMENSION ${header.get('DIMENSION')}`);
  if (line >= lines.length || !/^NODE_COORD_SECTION\b/.test(lines[line].trim())) throw new Error('TSPLIB: no NODE_COORD_SECTION');

  const coords = new Float64Array(2 * dimension);
  const seen = new Uint8Array(dimension);
  let count = 0;
  for (line++; line < lines.length && count < dimension; line++) {
    const raw = lines[line].trim();
    if (raw === '') continue;
    if (raw === 'EOF') break;
    const [id, x, y] = raw.split(/\s+/).map(Number);
    if (!Number.isInteger(id) || id < 1 || id > dimension || seen[id - 1] || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`TSPLIB: bad node line ${line + 1}: ${raw}`);
    }
    seen[id - 1] = 1;
    coords[2 * (id - 1)] = x;
    coords[2 * (id - 1) + 1] = y;
    count++;
  }
  if (count !== dimension) throw new Error(`TSPLIB: ${count} nodes for DIMENSION ${dimension}`);

  const name = header.get('NAME') ?? 'unnamed';
  if (metric === 'GEO') return { name, metric, dimension, coords, ...geo(coords, dimension) };
  return { name, metric, dimension, coords, planar: coords, distance: planarMetric(metric, coords) };
}

function planarMetric(metric: Exclude<TsplibMetric, 'GEO'>, xy: Float64Array): (i: number, j: number) => number {
  switch (metric) {
    case 'EUC_2D':
      // Math.sqrt rather than Math.hypot: the same value to the last bit here, several times faster.
      return (i, j) => {
        const dx = xy[2 * i] - xy[2 * j];
        const dy = xy[2 * i + 1] - xy[2 * j + 1];
        return Math.round(Math.sqrt(dx * dx + dy * dy));
      };
    case 'CEIL_2D':
      return (i, j) => {
        const dx = xy[2 * i] - xy[2 * j];
        const dy = xy[2 * i + 1] - xy[2 * j + 1];
        return Math.ceil(Math.sqrt(dx * dx + dy * dy));
      };
    case 'ATT':
      // Pseudo-Euclidean: r rounded up unless it is a whole number already (TSPLIB's nint-then-fix rule).
      return (i, j) => {
        const dx = xy[2 * i] - xy[2 * j];
        const dy = xy[2 * i + 1] - xy[2 * j + 1];
        const r = Math.sqrt((dx * dx + dy * dy) / 10);
        const t = Math.round(r);
        return t < r ? t + 1 : t;
      };
  }
}

/** TSPLIB's values, not the true ones: the published optima were computed with them. */
const GEO_PI = 3.141592;
const GEO_RADIUS_KM = 6378.388;

/**
 * GEO: coordinates are DDD.MM (degrees and minutes); the whole degrees are truncated toward zero,
 * and the distance in km is truncated after adding 1, exactly as in TSPLIB 95's definition.
 */
function geo(coords: Float64Array, n: number): { planar: Float64Array; distance: (i: number, j: number) => number } {
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const radians = (v: number) => {
    const deg = Math.trunc(v);
    return (GEO_PI * (deg + (5 * (v - deg)) / 3)) / 180;
  };
  let meanLat = 0;
  for (let i = 0; i < n; i++) {
    lat[i] = radians(coords[2 * i]);
    lon[i] = radians(coords[2 * i + 1]);
    meanLat += lat[i] / n;
  }
  const planar = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    planar[2 * i] = lon[i] * Math.cos(meanLat);
    planar[2 * i + 1] = lat[i];
  }
  const distance = (i: number, j: number) => {
    const q1 = Math.cos(lon[i] - lon[j]);
    const q2 = Math.cos(lat[i] - lat[j]);
    const q3 = Math.cos(lat[i] + lat[j]);
    // Clamped: rounding can take the cosine a hair past 1 for coincident nodes, and acos would give NaN.
    const cos = Math.min(1, Math.max(-1, 0.5 * ((1 + q1) * q2 - (1 - q1) * q3)));
    return Math.trunc(GEO_RADIUS_KM * Math.acos(cos) + 1);
  };
  return { planar, distance };
}

/** `name : length` lines, as in TSPLIB's list of optima. */
export function parseTsplibSolutions(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*([\w.-]+)\s*:\s*(\d+)/.exec(raw);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}
