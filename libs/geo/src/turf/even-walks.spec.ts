import {
  LAT,
  LON_SCALE,
  neighbourhoodInStrips,
  setUpPartition as setUp,
  turfWalks as walks,
} from '../../../../test/support/turf-partitions';
import { evenWalks } from './even-walks';
import type { Band } from './partition';
import type { CutDoor } from './types';

/** One house every `spacing` metres along a street running east. */
const street = (houses: number, spacing: number): CutDoor[] =>
  Array.from({ length: houses }, (_, i) => ({ lon: -84.35 + (i * spacing) / LON_SCALE, lat: LAT, building: i }));

const cv = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) / mean;
};

describe('evenWalks', () => {
  it("gives a house stranded beyond its neighbour's turf to that turf, and both walks get shorter", () => {
    // Houses 0-4 and 9 in one turf, 5-8 in the other: the first turf walks past the second to reach 9.
    const doors = street(10, 20);
    const { sites, partition, graph, pointOf } = setUp(doors, [0, 0, 0, 0, 0, 1, 1, 1, 1, 0], 2);
    const band: Band = { lo: 4, hi: 6 };
    const before = walks(doors, sites, partition.members);
    expect(evenWalks(partition, graph, band, pointOf, 2)).toBeGreaterThan(0);
    expect(partition.assign[9]).toBe(1);
    const after = walks(doors, sites, partition.members);
    expect(after[0]).toBeLessThan(before[0]);
    expect(after[0] + after[1]).toBeLessThan(before[0] + before[1]);
  });

  it('exchanges buildings when the counts allow no one-way move, and leaves a cut that cannot improve alone', () => {
    const doors = street(10, 20);
    // Band 5..5: house 9 can only go over in exchange for a house of the other turf.
    const stranded = setUp(doors, [0, 0, 0, 0, 1, 1, 1, 1, 1, 0], 2);
    const before = walks(doors, stranded.sites, stranded.partition.members);
    expect(evenWalks(stranded.partition, stranded.graph, { lo: 5, hi: 5 }, stranded.pointOf, 2)).toBeGreaterThan(0);
    expect([...stranded.partition.weight]).toEqual([5, 5]);
    expect(stranded.partition.assign[9]).not.toBe(stranded.partition.assign[0]);
    const after = walks(doors, stranded.sites, stranded.partition.members);
    expect(Math.max(...after)).toBeLessThan(Math.max(...before));
    // Already the best cut: nothing moves.
    const good = setUp(doors, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 2);
    expect(evenWalks(good.partition, good.graph, { lo: 5, hi: 5 }, good.pointOf, 2)).toBe(0);
  });

  it('keeps every turf in the band, buildings whole, meeting points in place, and evens the walks of a real-looking cut', () => {
    // A generated street grid cut into strips of blocks by longitude: balanced, but with walks of
    // uneven length where the grid is sparser.
    const turfs = 8;
    const { doors, sites, assign, weights } = neighbourhoodInStrips(7, turfs);
    const band: Band = { lo: Math.min(...weights), hi: Math.max(...weights) };
    const { partition, graph, pointOf } = setUp(doors, assign, turfs);
    const meeting = partition.members.map((members) => {
      const total = members.reduce((w, s) => w + sites.weight[s], 0);
      const cx = members.reduce((v, s) => v + sites.weight[s] * sites.x[s], 0) / total;
      const cy = members.reduce((v, s) => v + sites.weight[s] * sites.y[s], 0) / total;
      return members.reduce((best, s) =>
        (sites.x[s] - cx) ** 2 + (sites.y[s] - cy) ** 2 < (sites.x[best] - cx) ** 2 + (sites.y[best] - cy) ** 2 ? s : best,
      );
    });
    const before = walks(doors, sites, partition.members);
    const again = setUp(doors, assign, turfs);

    expect(evenWalks(partition, graph, band, pointOf, 2)).toBeGreaterThan(0);
    const after = walks(doors, sites, partition.members);
    for (let t = 0; t < turfs; t++) {
      expect(partition.weight[t]).toBeGreaterThanOrEqual(band.lo);
      expect(partition.weight[t]).toBeLessThanOrEqual(band.hi);
      expect(partition.assign[meeting[t]]).toBe(t);
    }
    expect(partition.members.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: sites.count }, (_, s) => s));
    expect(cv(after)).toBeLessThan(cv(before));
    expect(after.reduce((s, v) => s + v, 0)).toBeLessThan(before.reduce((s, v) => s + v, 0) * 1.02);
    // The same input gives the same turfs.
    evenWalks(again.partition, again.graph, band, again.pointOf, 2);
    expect([...again.partition.assign]).toEqual([...partition.assign]);
  });
});
