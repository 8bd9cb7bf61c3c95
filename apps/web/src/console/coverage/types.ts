/** The shapes of the coverage API's answers, as the dashboard reads them. */
export interface CoverageSummary {
  campaignId: string;
  doorsInScope: number;
  doorsAttempted: number;
  doorsReached: number;
  doorsWithMaterials: number;
  doNotKnock: number;
  visits: number;
  coveragePct: number;
  reachedPct: number;
  materials: { materialId: string; name: string; kind: string; language: string; quantity: number }[];
  followUps: { open: number; closed: number };
  volunteersOutNow: number;
  shiftsToday: number;
  routesByStatus: Record<string, number>;
  updatedAt: string | null;
}

export interface AreaFigures {
  name: string;
  doors: number;
  attempted: number;
  reached: number;
  withMaterials: number;
  doNotKnock: number;
  visits: number;
  coveragePct: number;
  reachedPct: number;
}

export interface TurfRow extends AreaFigures {
  turfId: string;
  assignmentStatus: string | null;
}

export interface NeighbourhoodRow extends AreaFigures {
  neighbourhoodId: string;
}

export interface Series {
  timeZone: string;
  bucket: 'hour' | 'day';
  points: { at: string; visits: number; talked: number }[];
}

export interface VolunteerRow {
  userId: string;
  name: string;
  visits: number;
  doorsAttempted: number;
  doorsReached: number;
  materialsLeft: number;
}

export interface LeaderRow {
  rank: number;
  name: string;
  doorsAttempted: number;
}

export interface FollowUp {
  id: string;
  status: 'open' | 'closed';
  number: string;
  street: string;
  unit: string | null;
  turfName: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface Shift {
  id: string;
  turfName: string | null;
  volunteerName: string;
  partnerName: string | null;
  startedAt: string;
}

export interface MaterialCount {
  materialId: string;
  name: string;
  kind: string;
  language: string;
  taken: number;
  returned: number;
  leftAtDoors: number;
  outNow: number;
}

export type Collection = GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;
