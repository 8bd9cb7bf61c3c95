export interface LonLat {
  lon: number;
  lat: number;
}

export const EARTH_RADIUS_METRES = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function haversineMetres(a: LonLat, b: LonLat): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Local planar coordinates in metres (equirectangular around the points' mean latitude), as
 * `[x0, y0, x1, y1, ...]`. Within a neighbourhood it differs from haversine by far less than a
 * metre per kilometre, and it lets spatial indexes and local search work in plain x/y.
 */
export function projectToMetres(points: readonly LonLat[]): Float64Array {
  const xy = new Float64Array(points.length * 2);
  if (points.length === 0) return xy;
  let meanLat = 0;
  for (const p of points) meanLat += p.lat;
  meanLat /= points.length;
  const kx = Math.cos(meanLat * RAD) * EARTH_RADIUS_METRES * RAD;
  const ky = EARTH_RADIUS_METRES * RAD;
  const lon0 = points[0].lon;
  const lat0 = points[0].lat;
  points.forEach((p, i) => {
    xy[2 * i] = (p.lon - lon0) * kx;
    xy[2 * i + 1] = (p.lat - lat0) * ky;
  });
  return xy;
}
