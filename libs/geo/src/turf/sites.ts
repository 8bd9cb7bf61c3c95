import { projectToMetres } from '../distance';
import type { CutDoor } from './types';

/**
 * The buildings of a cut, in planar metres. Walking cost depends on the stops, not on how many
 * doors a stop holds, so geometry works on buildings and balance on their door counts.
 */
export interface Sites {
  count: number;
  x: Float64Array;
  y: Float64Array;
  /** Doors in each building. */
  weight: Int32Array;
  /** Indexes into the caller's door array, per building, in input order. */
  doors: number[][];
}

export function groupBuildings(doors: readonly CutDoor[]): Sites {
  const xy = projectToMetres(doors);
  const byBuilding = new Map<number, number>();
  const doorLists: number[][] = [];
  const sumX: number[] = [];
  const sumY: number[] = [];
  doors.forEach((door, i) => {
    let site = byBuilding.get(door.building);
    if (site === undefined) {
      site = doorLists.length;
      byBuilding.set(door.building, site);
      doorLists.push([]);
      sumX.push(0);
      sumY.push(0);
    }
    doorLists[site].push(i);
    // Units of one building may carry slightly different points; the building stands at their mean.
    sumX[site] += xy[2 * i];
    sumY[site] += xy[2 * i + 1];
  });
  const count = doorLists.length;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const weight = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const n = doorLists[s].length;
    x[s] = sumX[s] / n;
    y[s] = sumY[s] / n;
    weight[s] = n;
  }
  return { count, x, y, weight, doors: doorLists };
}
