import type { Sites } from './sites';

/**
 * Recursive coordinate bisection: cut the sites across the longer side of their bounding box so
 * that each side holds doors in proportion to the turfs it will be cut into (floor and ceil of
 * k / 2), and recurse. It balances exactly up to one building per cut and gives compact, roughly
 * square cells in milliseconds; the local search then only has to polish the boundaries.
 *
 * Returns the turf of each site (-1 for sites not in `ids`) in leaf order, so that turfs that
 * are neighbours in the recursion get neighbouring numbers.
 */
export function bisect(sites: Sites, ids: readonly number[], k: number): Int32Array {
  const assign = new Int32Array(sites.count).fill(-1);
  let next = 0;
  const recurse = (part: number[], parts: number): void => {
    if (parts === 1 || part.length <= 1) {
      const turf = next++;
      for (const s of part) assign[s] = turf;
      return;
    }
    const left = Math.floor(parts / 2);
    const [a, b] = splitOnce(sites, part, left, parts - left);
    recurse(a, left);
    recurse(b, parts - left);
  };
  recurse([...ids], Math.min(k, ids.length));
  return assign;
}

function splitOnce(sites: Sites, part: number[], leftParts: number, rightParts: number): [number[], number[]] {
  const { x, y, weight } = sites;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let total = 0;
  for (const s of part) {
    minX = Math.min(minX, x[s]);
    maxX = Math.max(maxX, x[s]);
    minY = Math.min(minY, y[s]);
    maxY = Math.max(maxY, y[s]);
    total += weight[s];
  }
  const key = maxX - minX >= maxY - minY ? x : y;
  // Ties broken by the other coordinate and then the index keep the cut deterministic.
  const other = key === x ? y : x;
  const sorted = [...part].sort((p, q) => key[p] - key[q] || other[p] - other[q] || p - q);
  const target = (total * leftParts) / (leftParts + rightParts);
  // Each side needs at least one site per turf it will become.
  let best = leftParts;
  let bestError = Infinity;
  let prefix = 0;
  for (let i = 0; i < sorted.length - rightParts; i++) {
    prefix += weight[sorted[i]];
    const cut = i + 1;
    if (cut < leftParts) continue;
    const error = Math.abs(prefix - target);
    if (error < bestError) {
      bestError = error;
      best = cut;
    }
    if (prefix > target) break;
  }
  return [sorted.slice(0, best), sorted.slice(best)];
}
