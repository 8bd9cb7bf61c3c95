import { AUDIT_ENTITIES } from '@app/audit';
import { ORGANIZATION_ENTITIES } from '@app/organizations';
import { TURF_ENTITIES } from '@app/turf';
import { CANVASSING_ENTITIES } from '@app/canvassing';
import { EVENTS_ENTITIES } from '@app/events';
import { COVERAGE_ENTITIES } from '@app/coverage';

/** Every entity of the product: what the migrations must build and the drift check compares. */
export const ALL_ENTITIES = [
  ...AUDIT_ENTITIES,
  ...ORGANIZATION_ENTITIES,
  ...TURF_ENTITIES,
  ...CANVASSING_ENTITIES,
  ...EVENTS_ENTITIES,
  ...COVERAGE_ENTITIES,
];
