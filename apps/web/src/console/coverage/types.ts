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

export type VisitOutcome = 'not_home' | 'talked' | 'refused' | 'moved' | 'no_access' | 'do_not_knock' | 'come_back_later';

/** A visit as the campaign's visit list gives it: the quarantined ones wait for review, flagged ones have a doubted phone clock. */
export interface Visit {
  id: string;
  turfId: string;
  doorId: string;
  number: string;
  street: string;
  unit: string | null;
  turfName: string | null;
  userId: string;
  volunteerName: string;
  shiftId: string | null;
  outcome: VisitOutcome;
  language: string | null;
  followUp: boolean;
  /** Organizers only. */
  note?: string | null;
  /** The phone's time. */
  recordedAt: string;
  receivedAt: string;
  status: 'accepted' | 'quarantined' | 'discarded';
  quarantineReason: 'assignment_released' | 'assignment_ended' | null;
  clockFlag: 'ahead' | 'before_assignment' | null;
  enteredByUserId: string | null;
  materials: { materialId: string; quantity: number }[];
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
  names: Record<string, string>;
  /** The organization's stock on hand, and the level at or below which it is low. */
  stock: number;
  lowStockThreshold: number | null;
  lowStock: boolean;
  retired: boolean;
}

export type Collection = GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;
