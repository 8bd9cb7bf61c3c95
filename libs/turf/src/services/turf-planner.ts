import { cutTurfs, haversineMetres, LonLat, walkRoute } from '@app/geo';

export interface PlanDoor {
  id: string;
  buildingId: string;
  lon: number;
  lat: number;
  unitKey: string;
}

export interface PlanOptions {
  doorsPerTurf: number;
  walkingSpeedKmh: number;
  minutesPerDoor: number;
}

export interface PlannedTurf {
  /** Door ids in route order, from the meeting point. */
  doorIds: string[];
  meetingDoorId: string;
  walkMetres: number;
  walkMinutes: number;
  centroid: LonLat;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Cuts doors into balanced turfs (never splitting a building) and orders each into a walking
 * route from the door nearest its centroid, with a building's units together in natural order
 * (floor, then unit). CPU-bound: it runs in the worker, never on the API's event loop.
 */
export function planTurfs(doors: readonly PlanDoor[], options: PlanOptions): PlannedTurf[] {
  const buildingIndex = buildingIndexOf(doors);
  const turfs = cutTurfs(
    doors.map((d) => ({ lon: d.lon, lat: d.lat, building: buildingIndex.get(d.buildingId)! })),
    { doorsPerTurf: options.doorsPerTurf },
  );
  return turfs.map((turf) =>
    routeTurf(
      turf.doorIndexes.map((i) => doors[i]),
      turf.centroid,
      buildingIndex,
      options,
    ),
  );
}

/** One turf of the given doors (a turf the organizer drew), with its walking route. */
export function planDrawnTurf(doors: readonly PlanDoor[], options: Omit<PlanOptions, 'doorsPerTurf'>): PlannedTurf {
  const centroid = {
    lon: doors.reduce((s, d) => s + d.lon, 0) / doors.length,
    lat: doors.reduce((s, d) => s + d.lat, 0) / doors.length,
  };
  return routeTurf(doors, centroid, buildingIndexOf(doors), options);
}

function buildingIndexOf(doors: readonly PlanDoor[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const d of doors) if (!index.has(d.buildingId)) index.set(d.buildingId, index.size);
  return index;
}

/** Orders a turf's doors into a walking route from the door nearest its centroid, units together in natural order. */
function routeTurf(
  doors: readonly PlanDoor[],
  centroid: LonLat,
  buildingIndex: Map<string, number>,
  options: Omit<PlanOptions, 'doorsPerTurf'>,
): PlannedTurf {
  const metresPerMinute = (options.walkingSpeedKmh * 1000) / 60;
  const members = [...doors].sort((a, b) => a.buildingId.localeCompare(b.buildingId) || natural.compare(a.unitKey, b.unitKey));
  let start = 0;
  let best = Infinity;
  members.forEach((d, i) => {
    const dist = haversineMetres(d, centroid);
    if (dist < best) {
      best = dist;
      start = i;
    }
  });
  // Enter the nearest building at its first unit.
  while (start > 0 && members[start - 1].buildingId === members[start].buildingId) start--;
  const route = walkRoute(members, { startIndex: start, groups: members.map((d) => buildingIndex.get(d.buildingId)!) });
  const doorIds = route.order.map((i) => members[i].id);
  return {
    doorIds,
    meetingDoorId: doorIds[0],
    walkMetres: Math.round(route.lengthMetres),
    walkMinutes: Math.round(route.lengthMetres / metresPerMinute + members.length * options.minutesPerDoor),
    centroid,
  };
}
