import { generateNeighbourhood } from './synthetic-neighbourhood';

describe('generateNeighbourhood', () => {
  it('gives the same addresses for the same seed, and others for another seed', () => {
    expect(generateNeighbourhood({ seed: 7 })).toEqual(generateNeighbourhood({ seed: 7 }));
    expect(generateNeighbourhood({ seed: 8 })).not.toEqual(generateNeighbourhood({ seed: 7 }));
  });

  it('numbers houses even on one side and odd on the other, with unique ids', () => {
    const rows = generateNeighbourhood({ seed: 1, apartmentShare: 0 });
    // 4 avenues x 3 blocks + 4 streets x 3 blocks, 6 lots a side, 2 sides.
    expect(rows).toHaveLength((4 * 3 + 4 * 3) * 6 * 2);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const moreland = rows.filter((r) => r.street === 'Moreland Ave SE');
    expect(new Set(moreland.map((r) => `${r.number}`)).size).toBe(moreland.length);
    expect(moreland.some((r) => Number(r.number) % 2 === 0) && moreland.some((r) => Number(r.number) % 2 === 1)).toBe(true);
  });

  it('puts every unit of an apartment building on the same point', () => {
    const rows = generateNeighbourhood({ seed: 3, apartmentShare: 0.3 });
    const units = rows.filter((r) => r.unit !== null);
    expect(units.length).toBeGreaterThan(0);
    const buildings = new Map<string, Set<string>>();
    for (const u of units) {
      const key = `${u.street}|${u.number}`;
      buildings.set(key, (buildings.get(key) ?? new Set()).add(`${u.lon},${u.lat}`));
    }
    for (const points of buildings.values()) expect(points.size).toBe(1);
  });

  it('stays within a few hundred metres of its origin, as valid coordinates', () => {
    const origin = { lon: -122.42, lat: 37.78 };
    for (const r of generateNeighbourhood({ seed: 5, origin })) {
      expect(Math.abs(r.lon - origin.lon)).toBeLessThan(0.01);
      expect(Math.abs(r.lat - origin.lat)).toBeLessThan(0.01);
    }
  });
});
