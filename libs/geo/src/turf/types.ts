import type { LonLat } from '../distance';

/** A door to canvass. Doors with the same `building` are units of one building and always share a turf. */
export interface CutDoor {
  lon: number;
  lat: number;
  building: number;
}

export interface CutOptions {
  /** Doors a turf should hold, 5..500; the cut makes max(1, round(doors / doorsPerTurf)) turfs. */
  doorsPerTurf: number;
  /** Seeds the order of the local search, so the same input and seed always give the same turfs. */
  seed?: number;
}

export interface CutTurf {
  /** Indexes into the doors passed to `cutTurfs`, ascending. */
  doorIndexes: number[];
  /** Mean position of the turf's doors. */
  centroid: LonLat;
}
