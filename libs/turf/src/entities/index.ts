import { AddressImport, AddressImportFile, AddressImportRejection } from './address-import.entity';
import { Building } from './building.entity';
import { Campaign } from './campaign.entity';
import { Door } from './door.entity';
import { RouteAssignment, Turf, TurfDoor } from './turf.entity';

export * from './address-import.entity';
export { Building, Campaign, Door, RouteAssignment, Turf, TurfDoor };
export { ASSIGNMENT_STATUSES } from './turf.entity';
export type { AssignmentStatus } from './turf.entity';

export const TURF_ENTITIES = [
  Campaign,
  Building,
  Door,
  AddressImport,
  AddressImportFile,
  AddressImportRejection,
  Turf,
  TurfDoor,
  RouteAssignment,
];
