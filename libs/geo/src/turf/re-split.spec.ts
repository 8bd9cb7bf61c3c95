import {
  LAT,
  LON_SCALE,
  METRES_PER_DEGREE,
  neighbourhoodInStrips,
  setUpPartition as setUp,
  turfWalks as walks,
} from '../../../../test/support/turf-partitions';
import type { Band } from './partition';
import { reSplitPairs } from './re-split';
import type { CutDoor } from './types';

/**
 * Both sides of a street running east: `houses` a side, `spacing` metres apart along it, the two
 * sides `across` metres apart. Buildings 0..houses-1 are the north side, west to east, then the
 * south side the same way.
 */
function twoSidedStreet(houses: number, spacing: number, across: number): CutDoor[] {
  const side = (north: boolean, offset: number) =>
    Array.from({ length: houses }, (_, i) => ({
      lon: -84.35 + (i * spacing) / LON_SCALE,
      lat: LAT + (north ? across / 2 : -across / 2) / METRES_PER_DEGREE,
      building: offset + i,
    }));
  return [...side(true, 0), ...side(false, houses)];
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

describe('reSplitPairs', () => {
  it('turns two turfs that are each one side of a street into two that are each both sides of half of it', () => {
    // Walked from its middle, one side of ten houses 20 m apart is 4 x 20 m to one end and 9 x 20 m
    // back past the start: 260 m. Five houses of each side, walked out on one and back on the
    // other from the middle of one side, is 2 x 40 m along, 30 m across twice and 2 x 20 m: 200 m.
    const doors = twoSidedStreet(10, 20, 30);
    const sides = Array.from({ length: 20 }, (_, s) => (s < 10 ? 0 : 1));
    const { sites, partition, graph, pointOf } = setUp(doors, sides, 2);
    const before = walks(doors, sites, partition.members);
    expect(sum(before)).toBeCloseTo(520, -1);

    const { changed, walks: kept } = reSplitPairs(partition, graph, { lo: 10, hi: 10 }, pointOf, 0);

    expect(changed).toBeGreaterThan(0);
    const after = walks(doors, sites, partition.members);
    expect(sum(after)).toBeCloseTo(400, -1);
    for (const members of partition.members) {
      expect(members).toHaveLength(10);
      // Both sides of one half: five houses of each side, next to each other.
      const north = members.filter((s) => s < 10).sort((a, b) => a - b);
      const south = members.filter((s) => s >= 10).map((s) => s - 10);
      expect(north).toHaveLength(5);
      expect(north[4] - north[0]).toBe(4);
      expect(south.sort((a, b) => a - b)).toEqual(north);
    }
    // The walks handed on are the turfs' walks from their meeting points, every building once.
    kept.forEach((walk, t) => expect([...walk].sort((a, b) => a - b)).toEqual([...partition.members[t]].sort((a, b) => a - b)));
  });

  it('leaves turfs alone when no split of the pair walks less, and when the band allows no other split', () => {
    const doors = twoSidedStreet(10, 20, 30);
    const halves = Array.from({ length: 20 }, (_, s) => (s % 10 < 5 ? 0 : 1));
    const good = setUp(doors, halves, 2);
    expect(reSplitPairs(good.partition, good.graph, { lo: 10, hi: 10 }, good.pointOf, 0).changed).toBe(0);
    expect([...good.partition.assign]).toEqual(halves);

    // Two clusters far apart: the only balanced split is the one there is.
    const far: CutDoor[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ lon: -84.35 + (i * 15) / LON_SCALE, lat: LAT, building: i })),
      ...Array.from({ length: 6 }, (_, i) => ({ lon: -84.34 + (i * 15) / LON_SCALE, lat: LAT, building: 6 + i })),
    ];
    const apart = Array.from({ length: 12 }, (_, s) => (s < 6 ? 0 : 1));
    const clusters = setUp(far, apart, 2);
    expect(reSplitPairs(clusters.partition, clusters.graph, { lo: 6, hi: 6 }, clusters.pointOf, 0).changed).toBe(0);
    expect([...clusters.partition.assign]).toEqual(apart);
  });

  it('keeps every turf in the band and in one piece, buildings whole, on a generated neighbourhood, and is deterministic', () => {
    const turfs = 8;
    const { doors, sites, assign, weights } = neighbourhoodInStrips(11, turfs);
    const band: Band = { lo: Math.min(...weights) - 2, hi: Math.max(...weights) + 2 };
    const { partition, graph, pointOf } = setUp(doors, assign, turfs);
    const before = walks(doors, sites, partition.members);
    const membersBefore = partition.members.map((m) => [...m].sort((a, b) => a - b).join());

    const { changed } = reSplitPairs(partition, graph, band, pointOf, 0);

    expect(changed).toBeGreaterThan(0);
    const after = walks(doors, sites, partition.members);
    expect(sum(after)).toBeLessThan(sum(before));
    for (let t = 0; t < turfs; t++) {
      expect(partition.weight[t]).toBeGreaterThanOrEqual(band.lo);
      expect(partition.weight[t]).toBeLessThanOrEqual(band.hi);
    }
    expect(partition.members.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: sites.count }, (_, s) => s));
    // A turf that changed holds together through each building's four nearest neighbours.
    const near: number[][] = Array.from({ length: sites.count }, () => []);
    for (let s = 0; s < sites.count; s++) {
      for (let e = graph.start[s]; e < Math.min(graph.start[s + 1], graph.start[s] + 4); e++) {
        near[s].push(graph.to[e]);
        near[graph.to[e]].push(s);
      }
    }
    const reshaped = partition.members.filter((m, t) => [...m].sort((a, b) => a - b).join() !== membersBefore[t]);
    expect(reshaped.length).toBeGreaterThan(0);
    for (const members of reshaped) {
      const inTurf = new Set(members);
      const reached = new Set([members[0]]);
      const stack = [members[0]];
      while (stack.length > 0) {
        for (const u of near[stack.pop() as number]) {
          if (inTurf.has(u) && !reached.has(u)) {
            reached.add(u);
            stack.push(u);
          }
        }
      }
      expect(reached.size).toBe(members.length);
    }
    const again = setUp(doors, assign, turfs);
    reSplitPairs(again.partition, again.graph, band, again.pointOf, 0);
    expect([...again.partition.assign]).toEqual([...partition.assign]);
  });
});
