import { AppError } from '@app/core';

/**
 * Positions allowed in one neighbourhood's outline and in one upload. Repairing an outline that
 * crosses itself (ST_MakeValid) costs far more than its size, and the statement timeout does not
 * stop it: 40,000 positions held a database connection for 92 s. Real outlines are far smaller
 * (Atlanta's 114 neighbourhoods: 91 positions at most, 3,291 in all).
 */
export const MAX_POSITIONS_PER_NEIGHBOURHOOD = 5_000;
export const MAX_POSITIONS_PER_UPLOAD = 20_000;
/** Features named in one refusal at most. */
const NAMED = 3;

const n = (x: number) => x.toLocaleString('en-US');

/** How many positions an outline has, from its rings' lengths (no position is walked); 0 if it is not nested as one. */
function positionCount(geometry: unknown): number {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return 0;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polygons)) return 0;
  let count = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon)) return 0;
    for (const ring of polygon as unknown[]) if (Array.isArray(ring)) count += ring.length;
  }
  return count;
}

/**
 * Refuses (400, nothing done) a neighbourhoods upload with an outline of more than
 * MAX_POSITIONS_PER_NEIGHBOURHOOD positions, naming the features, or more than
 * MAX_POSITIONS_PER_UPLOAD in all: checked as the request arrives, before any SQL.
 */
export function assertNeighbourhoodsSize(collection: unknown): void {
  const features = (collection as { features?: unknown } | null | undefined)?.features;
  if (!Array.isArray(features)) return;
  let total = 0;
  const tooLarge: { index: number; name: string; positions: number }[] = [];
  features.forEach((f: { geometry?: unknown; properties?: Record<string, unknown> } | null, index: number) => {
    const positions = positionCount(f?.geometry);
    total += positions;
    if (positions > MAX_POSITIONS_PER_NEIGHBOURHOOD) {
      const p = f?.properties;
      const raw = p?.name ?? p?.NAME ?? p?.neighborhood ?? p?.neighbourhood;
      tooLarge.push({ index, name: typeof raw === 'string' ? raw.trim().slice(0, 80) : '', positions });
    }
  });
  if (tooLarge.length > 0) {
    const shown = tooLarge.slice(0, NAMED).map((t) => `feature ${t.index}${t.name ? ` (${t.name})` : ''}: ${n(t.positions)}`);
    const more = tooLarge.length > NAMED ? ` and ${tooLarge.length - NAMED} more` : '';
    throw new AppError(
      'VALIDATION_FAILED',
      `An outline may have at most ${n(MAX_POSITIONS_PER_NEIGHBOURHOOD)} positions; ${shown.join(', ')}${more}. Nothing was imported`,
      {
        fields: Object.fromEntries(
          tooLarge
            .slice(0, NAMED)
            .map((t) => [
              `features.${t.index}.geometry`,
              [`has ${n(t.positions)} positions; at most ${n(MAX_POSITIONS_PER_NEIGHBOURHOOD)} per neighbourhood`],
            ]),
        ),
      },
    );
  }
  if (total > MAX_POSITIONS_PER_UPLOAD) {
    throw new AppError(
      'VALIDATION_FAILED',
      `An upload may have at most ${n(MAX_POSITIONS_PER_UPLOAD)} positions in all its outlines; this one has ${n(total)}. Nothing was imported`,
      { fields: { features: [`have ${n(total)} positions in all; at most ${n(MAX_POSITIONS_PER_UPLOAD)}`] } },
    );
  }
}
