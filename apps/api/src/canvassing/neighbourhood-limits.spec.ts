import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core';
import { assertNeighbourhoodsSize, MAX_POSITIONS_PER_NEIGHBOURHOOD, MAX_POSITIONS_PER_UPLOAD } from './neighbourhood-limits';

const square = (positions: number, x = 0) => {
  const ring = Array.from({ length: positions - 1 }, (_, i) => [x + Math.cos(i), Math.sin(i)]);
  return [[...ring, ring[0]]];
};
const feature = (name: string, positions: number) => ({
  type: 'Feature',
  properties: { name },
  geometry: { type: 'Polygon', coordinates: square(positions) },
});
const refusal = (collection: unknown): AppError => {
  try {
    assertNeighbourhoodsSize(collection);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('accepted');
};

describe('the size of a neighbourhoods upload', () => {
  it('refuses an outline of more positions than allowed, naming the feature and the limit', () => {
    const e = refusal({ type: 'FeatureCollection', features: [feature('Small', 10), feature('Star', 40_000)] });
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('feature 1 (Star): 40,000');
    expect(e.message).toContain('5,000');
  });

  it('refuses more positions in all than allowed, each outline within its own limit', () => {
    const features = Array.from({ length: 5 }, (_, i) => feature(`N${i}`, MAX_POSITIONS_PER_NEIGHBOURHOOD));
    expect(5 * MAX_POSITIONS_PER_NEIGHBOURHOOD).toBeGreaterThan(MAX_POSITIONS_PER_UPLOAD);
    expect(refusal({ type: 'FeatureCollection', features }).message).toContain('20,000');
    expect(() => assertNeighbourhoodsSize({ type: 'FeatureCollection', features: features.slice(0, 4) })).not.toThrow();
  });

  // ../shared/data beside the repository, when it is there.
  const atlanta = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'neighborhoods', 'atlanta.geojson');
  (existsSync(atlanta) ? it : it.skip)('accepts real neighbourhood files', () => {
    expect(() => assertNeighbourhoodsSize(JSON.parse(readFileSync(atlanta, 'utf8')))).not.toThrow();
  });
});
