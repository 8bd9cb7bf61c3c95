import { haversineMetres } from '../../libs/geo/src/distance';
import { walkRoute } from '../../libs/geo/src/route';
import { generateNeighbourhood } from '../../libs/geo/src/synthetic-neighbourhood';
import { neighbourGraph } from '../../libs/geo/src/turf/graph';
import { Partition } from '../../libs/geo/src/turf/partition';
import { groupBuildings, Sites } from '../../libs/geo/src/turf/sites';
import type { CutDoor } from '../../libs/geo/src/turf/types';

/** Fixtures of the turf cutter's unit tests: partitions of doors to trade or re-cut. */

const METRES_PER_DEGREE = 111_320;
export const LAT = 33.74;
export const LON_SCALE = METRES_PER_DEGREE * Math.cos((LAT * Math.PI) / 180);
export { METRES_PER_DEGREE };

/** The doors in the given turfs, with the neighbour graph the cutter builds (8 nearest). */
export function setUpPartition(doors: CutDoor[], assign: number[], turfs: number) {
  const sites = groupBuildings(doors);
  const partition = new Partition(sites, Int32Array.from(assign), turfs);
  const graph = neighbourGraph(
    sites,
    Array.from({ length: sites.count }, (_, s) => s),
    8,
  );
  return { sites, partition, graph, pointOf: (s: number) => doors[sites.doors[s][0]] };
}

/** Each turf's walk as the product routes it (from the door nearest its centroid), in metres. */
export function turfWalks(doors: CutDoor[], sites: Sites, members: number[][]): number[] {
  return members.map((list) => {
    const points = list.map((s) => doors[sites.doors[s][0]]);
    const { order } = walkRoute(points, { seed: 1 });
    let sum = 0;
    for (let i = 1; i < order.length; i++) sum += haversineMetres(points[order[i - 1]], points[order[i]]);
    return sum;
  });
}

/**
 * A generated street grid cut into `turfs` strips by longitude: balanced in doors, each a thin
 * slice across the streets, with walks of uneven length where the grid is sparser. `weights` are
 * the strips' door counts.
 */
export function neighbourhoodInStrips(seed: number, turfs: number) {
  const ids = new Map<string, number>();
  const doors: CutDoor[] = generateNeighbourhood({ seed }).map((a) => {
    const key = `${a.street}|${a.number}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    return { lon: a.lon, lat: a.lat, building: ids.get(key) as number };
  });
  const sites = groupBuildings(doors);
  const bySite = Array.from({ length: sites.count }, (_, s) => s).sort((a, b) => sites.x[a] - sites.x[b] || a - b);
  const perTurf = doors.length / turfs;
  const assign = new Array<number>(sites.count);
  let filled = 0;
  for (const s of bySite) {
    assign[s] = Math.min(turfs - 1, Math.floor(filled / perTurf));
    filled += sites.weight[s];
  }
  const weights = Array.from({ length: turfs }, (_, t) => bySite.filter((s) => assign[s] === t).reduce((w, s) => w + sites.weight[s], 0));
  return { doors, sites, assign, weights };
}
