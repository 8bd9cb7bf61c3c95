/** Plain geometry for drawing previews: the API answers a cut preview with door ids, not outlines. */
export type LonLat = [number, number];

/** The convex hull (Andrew's monotone chain), counter-clockwise, without repeating the first point. */
export function convexHull(points: LonLat[]): LonLat[] {
  const pts = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: LonLat, a: LonLat, b: LonLat) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: LonLat[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: LonLat[] = [];
  for (const p of [...pts].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** A shape around the points: a polygon when there are three or more corners, else a line or a point. */
export function outlineOf(points: LonLat[]): GeoJSON.Geometry | null {
  const hull = convexHull(points);
  if (hull.length === 0) return null;
  if (hull.length === 1) return { type: 'Point', coordinates: hull[0] };
  if (hull.length === 2) return { type: 'LineString', coordinates: hull };
  return { type: 'Polygon', coordinates: [[...hull, hull[0]]] };
}

/** The polygon drawn so far, closed, as the API wants it. */
export function polygonOf(vertices: LonLat[]): GeoJSON.Polygon {
  return { type: 'Polygon', coordinates: [[...vertices, vertices[0]]] };
}
